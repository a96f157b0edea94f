"""The admin as an NGO editor and a reviewer meet it: one step to start guidance, the
next step as the main button, the project's words, avatars with no outside service, and
British dates."""

import base64
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import PageLogEntry

from guidance.models import GuidancePage
from recognise.editorial.avatars import avatar_data_url, initials
from tests.editorial.conftest import guidance_form
from tests.editorial.test_workflow import act
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def main_button(page_html):
    """The label of the editor's main action button (the first in the action menu)."""
    soup = BeautifulSoup(page_html, "html.parser")
    footer = soup.select_one("footer") or soup
    button = footer.select_one("button[type=submit], button")
    return " ".join(button.get_text().split())


def test_an_editor_starts_guidance_from_the_dashboard_in_one_step(ngo_a, signed_in):
    editor = signed_in(ngo_a.editor, ngo_a.secret)
    dashboard = BeautifulSoup(editor.get(reverse("wagtailadmin_home")).content, "html.parser")
    link = next(
        a for a in dashboard.select("#editor-home-content a") if "Write new guidance for" in a.text
    )
    assert "First Charity" in link.text
    form = editor.get(link["href"])
    assert form.status_code == 200
    response = editor.post(link["href"], guidance_form())
    assert response.status_code == 302
    assert GuidancePage.objects.get(slug="safe-placements").get_parent().pk == ngo_a.section.pk


def test_the_dashboard_shows_where_each_of_the_editors_pages_stands(
    ngo_a, reviewer, signed_in, django_capture_on_commit_callbacks
):
    editor = signed_in(ngo_a.editor, ngo_a.secret)
    add = reverse("wagtailadmin_pages:add", args=["guidance", "guidancepage", ngo_a.section.pk])
    editor.post(add, guidance_form(title="A draft", slug="a-draft"))
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(add, guidance_form(title="Sent one", slug="sent-one", action="action-submit"))
        editor.post(
            add, guidance_form(title="Bounced one", slug="bounced-one", action="action-submit")
        )
    act(signed_in(reviewer), GuidancePage.objects.get(slug="bounced-one"), "reject", "Add sources.")

    panel = BeautifulSoup(editor.get(reverse("wagtailadmin_home")).content, "html.parser")
    panel = panel.select_one("#editor-home-content")

    def listed_under(heading):
        title = next(h for h in panel.select("h3") if h.get_text(strip=True) == heading)
        following = title.find_next_sibling()
        return [a.get_text(strip=True) for a in following.select("a")] if following else []

    assert listed_under("Your drafts") == ["A draft"]
    assert listed_under("Sent for safeguarding review") == ["Sent one"]
    assert listed_under("Changes requested") == ["Bounced one"]


def test_other_people_do_not_get_the_editors_panel(signed_in, reviewer):
    page = signed_in(reviewer).get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="editor-home-section"' not in page


def test_once_saved_the_main_button_sends_the_page_for_safeguarding_review(ngo_a, signed_in):
    editor = signed_in(ngo_a.editor, ngo_a.secret)
    add = reverse("wagtailadmin_pages:add", args=["guidance", "guidancepage", ngo_a.section.pk])
    # A new page is saved first.
    assert main_button(editor.get(add).content.decode()) == "Save draft"
    editor.post(add, guidance_form())
    page = GuidancePage.objects.get(slug="safe-placements")
    edit_page = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert main_button(edit_page) == "Submit for safeguarding review"
    assert "Submit to Safeguarding review and publication" not in edit_page


def test_the_reviewers_main_button_approves(
    ngo_a, reviewer, signed_in, django_capture_on_commit_callbacks
):
    editor = signed_in(ngo_a.editor, ngo_a.secret)
    add = reverse("wagtailadmin_pages:add", args=["guidance", "guidancepage", ngo_a.section.pk])
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(add, guidance_form(action="action-submit"))
    page = GuidancePage.objects.get(slug="safe-placements")
    edit_page = signed_in(reviewer).get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert main_button(edit_page.content.decode()).startswith("Approve")


def test_avatars_are_initials_drawn_on_the_page_with_no_outside_service(ngo_a, signed_in):
    ngo_a.editor.display_name = "Ffion Hughes"
    ngo_a.editor.save()
    page = signed_in(ngo_a.editor, ngo_a.secret).get(reverse("wagtailadmin_home")).content
    page = page.decode()
    assert "gravatar" not in page
    # The sidebar's account menu carries the avatar's address in its settings.
    found = re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", page)
    assert found
    assert ">FH</text>" in base64.b64decode(found[1]).decode()


def test_initials_are_escaped_and_never_empty():
    named = UserFactory.build(display_name="<b> &", email="x@example.org")
    svg = base64.b64decode(avatar_data_url(named, 50).split(",", 1)[1]).decode()
    assert "<b" not in svg and "&lt;&amp;" in svg
    assert initials(UserFactory.build(display_name="", email="jo@example.org")) == "J"


def test_dates_in_the_admin_are_day_first(ngo_a, signed_in):
    editor = signed_in(ngo_a.editor, ngo_a.secret)
    add = reverse("wagtailadmin_pages:add", args=["guidance", "guidancepage", ngo_a.section.pk])
    editor.post(add, guidance_form(last_reviewed="05/04/2027", next_review="06/04/2028"))
    page = GuidancePage.objects.get(slug="safe-placements")
    # 5 April, not 4 May.
    assert (page.last_reviewed.day, page.last_reviewed.month) == (5, 4)
    edit_page = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert re.search(r'value="05/04/2027"', edit_page)


def test_comment_cards_wrap_between_words(signed_in, ngo_a):
    page = signed_in(ngo_a.editor, ngo_a.secret).get(reverse("wagtailadmin_home")).content
    links = [
        link["href"] for link in BeautifulSoup(page, "html.parser").select("link[rel=stylesheet]")
    ]
    assert any(href.endswith("editorial/admin.css") for href in links)


def test_the_admin_speaks_of_safeguarding_review_not_moderation(
    ngo_a, signed_in, django_capture_on_commit_callbacks
):
    editor = signed_in(ngo_a.editor, ngo_a.secret)
    add = reverse("wagtailadmin_pages:add", args=["guidance", "guidancepage", ngo_a.section.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(add, guidance_form(action="action-submit"), follow=True)
    page = response.content.decode()
    assert "sent for safeguarding review" in page
    assert "moderation" not in page.lower()
    listing = editor.get(reverse("wagtailadmin_explore", args=[ngo_a.section.pk]))
    assert "in safeguarding review" in listing.content.decode()
    assert "moderation" not in listing.content.decode().lower()


def test_a_history_with_entries_by_nobody_still_shows(ngo_a, signed_in):
    """Entries the system made (no user) have no initials to draw."""
    PageLogEntry.objects.log_action(ngo_a.section, "wagtail.edit", user=None)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    response = signed_in(superuser).get(
        reverse("wagtailadmin_pages:history", args=[ngo_a.section.pk])
    )
    assert response.status_code == 200
