import pytest
from django.urls import reverse
from wagtail.models import Collection

from guidance.models import GuidancePage
from tests.editorial.conftest import guidance_form
from tests.factories import make_guidance

pytestmark = pytest.mark.django_db


def add_url(section):
    return reverse("wagtailadmin_pages:add", args=["guidance", "guidancepage", section.pk])


def test_editor_saves_a_draft_in_their_own_section(ngo_a, signed_in):
    client = signed_in(ngo_a.editor, ngo_a.secret)
    response = client.post(add_url(ngo_a.section), guidance_form())
    assert response.status_code == 302, (
        getattr(response, "context", None) and response.context["form"].errors
    )
    page = GuidancePage.objects.get(slug="safe-placements")
    assert not page.live
    assert page.contributing_organisation == ngo_a.organisation


def test_editor_cannot_add_to_another_ngos_section(ngo_a, ngo_b, signed_in):
    client = signed_in(ngo_a.editor, ngo_a.secret)
    response = client.post(add_url(ngo_b.section), guidance_form())
    assert response.status_code in (302, 403)
    assert not GuidancePage.objects.exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:view_draft",
        "wagtailadmin_pages:copy",
        "wagtailadmin_pages:history",
        "wagtailadmin_pages:revisions_index",
        "wagtailadmin_pages:delete",
        "wagtailadmin_pages:unpublish",
        "wagtailadmin_pages:move",
    ],
)
def test_another_ngos_editor_cannot_reach_a_draft(ngo_a, ngo_b, signed_in, url_name):
    draft = make_guidance(ngo_a.section, "A private draft", live=False)
    draft.save_revision(user=ngo_a.editor)
    client = signed_in(ngo_b.editor, ngo_b.secret)
    response = client.get(reverse(url_name, args=[draft.pk]), follow=True)
    assert response.status_code in (403, 404)
    assert "A private draft" not in response.content.decode()


def test_another_ngos_editor_cannot_compare_or_preview_revisions(ngo_a, ngo_b, signed_in):
    draft = make_guidance(ngo_a.section, "A private draft", live=False)
    first = draft.save_revision(user=ngo_a.editor)
    draft.title = "A private draft, edited"
    second = draft.save_revision(user=ngo_a.editor)
    client = signed_in(ngo_b.editor, ngo_b.secret)
    for url in [
        reverse("wagtailadmin_pages:revisions_compare", args=[draft.pk, first.pk, second.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[draft.pk, first.pk]),
        reverse("wagtailadmin_pages:preview_on_edit", args=[draft.pk]),
    ]:
        response = client.get(url)
        assert response.status_code in (403, 404, 405), url
        assert "A private draft" not in response.content.decode()


def test_another_ngos_editor_does_not_see_the_section_in_the_explorer(ngo_a, ngo_b, signed_in):
    make_guidance(ngo_a.section, "A private draft", live=False)
    client = signed_in(ngo_b.editor, ngo_b.secret)
    response = client.get(reverse("wagtailadmin_explore", args=[ngo_a.section.pk]))
    assert response.status_code in (302, 403, 404)
    assert "A private draft" not in response.content.decode()


def test_editor_cannot_publish_by_any_route(ngo_a, signed_in):
    client = signed_in(ngo_a.editor, ngo_a.secret)
    client.post(add_url(ngo_a.section), guidance_form(action="action-publish"))
    page = GuidancePage.objects.get(slug="safe-placements")
    assert not page.live

    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client.post(edit, guidance_form(action="action-publish"))
    client.post(
        edit,
        guidance_form(action="action-publish", go_live_at="2026-12-01T10:00"),
    )
    bulk = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={page.pk}"
    )
    client.post(bulk, {})
    page.refresh_from_db()
    assert not page.live
    assert page.live_revision is None
    assert not page.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_editor_uploads_images_only_to_their_own_collection(ngo_a, ngo_b, signed_in):
    client = signed_in(ngo_a.editor, ngo_a.secret)
    page = client.get(reverse("wagtailimages:add")).content.decode()
    own = Collection.objects.get(name=ngo_a.organisation.name)
    other = Collection.objects.get(name=ngo_b.organisation.name)
    assert f'value="{own.pk}"' in page or "collection" not in page.lower()
    assert f'value="{other.pk}"' not in page
