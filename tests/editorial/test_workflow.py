"""The whole review path, through the admin's own views, as each person would take it."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Locale, ModelLogEntry, PageLogEntry, WorkflowState
from wagtail.signals import page_published

from guidance.models import GuidancePage
from recognise.home.models import HomePage
from tests.editorial.conftest import guidance_form
from tests.factories import UserFactory, make_course, make_guidance, make_sector_page
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


def current_task_state(page):
    return WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(page.pk), status="in_progress"
    ).current_task_state


def act(client, page, action, comment=""):
    task_state = current_task_state(page)
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk]),
        {"comment": comment},
    )


def test_draft_goes_through_review_and_publication(
    ngo_a, ngo_b, reviewer, publisher, signed_in, django_capture_on_commit_callbacks, client
):
    editor = signed_in(ngo_a.editor, ngo_a.secret)
    other_editor = signed_in(ngo_b.editor, ngo_b.secret)
    reviewing = signed_in(reviewer)
    publishing = signed_in(publisher)
    add = reverse("wagtailadmin_pages:add", args=["guidance", "guidancepage", ngo_a.section.pk])
    mail.outbox.clear()

    # The editor writes and submits: it waits for safeguarding review.
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(add, guidance_form(action="action-submit"))
    assert response.status_code == 302
    page = GuidancePage.objects.get(slug="safe-placements")
    assert not page.live
    assert current_task_state(page).task.name == "Safeguarding review"
    assert [reviewer.email] in [message.to for message in mail.outbox]
    dashboard = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert "Safeguarding review" in dashboard
    assert other_editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 403

    # The reviewer comments and rejects; the editor is told why.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = act(reviewing, page, "reject", "Add a source for the second paragraph.")
    assert response.status_code in (200, 302)
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == "needs_changes"
    assert any(
        ngo_a.editor.email in message.to
        and "Add a source for the second paragraph." in message.body
        for message in mail.outbox
    )

    # The editor fixes and resubmits.
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            edit, guidance_form(summary="What to plan, with sources.", action="action-submit")
        )
    assert response.status_code == 302
    assert current_task_state(page).task.name == "Safeguarding review"

    # Reviewer approves; publishers are told; the publisher approves and it goes live.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(reviewing, page, "approve")
    assert current_task_state(page).task.name == "Publication approval"
    assert [publisher.email] in [message.to for message in mail.outbox]
    with django_capture_on_commit_callbacks(execute=True):
        act(publishing, page, "approve")
    page.refresh_from_db()
    assert page.live
    assert page.summary == "What to plan, with sources."

    # The audit log has each step.
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {
        "wagtail.workflow.start",
        "wagtail.workflow.reject",
        "wagtail.workflow.approve",
        "wagtail.publish",
    } <= actions
    assert not ModelLogEntry.objects.filter(action="wagtail.publish").exists()

    # A learner finds it through search and the sector page, with its review date.
    learner = UserFactory(role="Learner")
    sign_in(client, learner.email)
    results = client.get(reverse("search"), {"q": "placements"}).content.decode()
    assert page.title in results
    sector = make_sector_page("childrens-social-care")
    assert page.title in client.get(sector.url).content.decode()
    guidance = client.get(page.url).content.decode()
    assert "Last reviewed 1 November 2026" in guidance
    assert "Contributed by First Charity" in guidance


def test_reviewers_see_comments_on_fields(ngo_a, reviewer, signed_in):
    editor = signed_in(ngo_a.editor, ngo_a.secret)
    add = reverse("wagtailadmin_pages:add", args=["guidance", "guidancepage", ngo_a.section.pk])
    editor.post(add, guidance_form(action="action-submit"))
    page = GuidancePage.objects.get(slug="safe-placements")
    reviewing = signed_in(reviewer)
    edit_page = reviewing.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit_page.status_code == 200
    assert "comments" in edit_page.content.decode()


def test_a_learner_never_sees_a_draft(client, ngo_a, learner):
    draft = make_guidance(ngo_a.section, "Draft guidance", live=False)
    sign_in(client, learner.email)
    assert client.get(f"/en/guidance/{ngo_a.section.slug}/{draft.slug}/").status_code == 404
    assert "Draft guidance" not in client.get(reverse("search"), {"q": "guidance"}).content.decode()


def test_welsh_pages_go_through_the_same_review(db):
    course = make_course("Core course", lessons=1)
    welsh = course.copy_for_translation(Locale.objects.get(language_code="cy"), copy_parents=True)
    english_workflow = course.get_workflow()
    assert english_workflow is not None
    assert welsh.get_workflow() == english_workflow
    assert HomePage.objects.filter(locale__language_code="cy").exists()


def test_a_publication_that_fails_half_way_leaves_nothing_published_and_can_be_retried(
    ngo_a, reviewer, publisher, signed_in, django_capture_on_commit_callbacks
):
    editor = signed_in(ngo_a.editor, ngo_a.secret)
    add = reverse("wagtailadmin_pages:add", args=["guidance", "guidancepage", ngo_a.section.pk])
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(add, guidance_form(action="action-submit"))
    page = GuidancePage.objects.get(slug="safe-placements")
    act(signed_in(reviewer), page, "approve")
    publishing = signed_in(publisher)

    def search_index_down(**kwargs):
        raise RuntimeError("search index unavailable")

    page_published.connect(search_index_down, dispatch_uid="failing-for-test")
    try:
        with pytest.raises(RuntimeError):
            act(publishing, page, "approve")
    finally:
        page_published.disconnect(dispatch_uid="failing-for-test")
    page.refresh_from_db()
    assert not page.live and page.live_revision is None
    assert current_task_state(page).task.name == "Publication approval"
    assert not PageLogEntry.objects.filter(page=page, action="wagtail.publish").exists()

    act(publishing, page, "approve")
    page.refresh_from_db()
    assert page.live
