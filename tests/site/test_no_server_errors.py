"""Hostile or merely odd input gets a page or a clear refusal, never a server error.

Each test stands for a class of input that once answered 500: a request over a rate
limit (allauth's included), a search within a sector or topic, control characters in
text, digits that are not ASCII, a cohort name a spreadsheet cannot take as a sheet
title, a `next` address that is not a local path, and an id that is not a UUID. They
run on the access matrix's world (tests/site/test_access_matrix.py).
"""

import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from wagtail.models import Locale

from cohorts.models import Cohort, InvitationLink
from courses.models import CatalogueIndexPage
from guidance.models import GuidanceIndexPage
from quizzes.models import Attempt
from tests.factories import PASSWORD, UserFactory, make_guidance
from tests.site import test_access_matrix as matrix
from tests.site.test_access_matrix import outcome
from tests.trainer_jobs import downloaded

world = matrix.world  # the fixture: the matrix's world, built once for this module

# Rate limits ----------------------------------------------------------------------------

LANGUAGES = ("en", "cy")
WELSH_HEADING = "Gormod o geisiadau"


def in_language(language, name, *args, query=""):
    with translation.override(language):
        return reverse(name, args=args) + query


def welsh_copy(page):
    """The page's Welsh version, published (with Welsh versions of its ancestors)."""
    welsh = Locale.objects.get_or_create(language_code="cy")[0]
    existing = page.get_translation_or_none(welsh)
    if existing is None:
        existing = page.copy_for_translation(welsh, copy_parents=True)
    existing.save_revision().publish()
    return existing.specific


def page_url(page, language):
    return (page if language == "en" else welsh_copy(page)).url


def catalogue_search(world, language):
    url = page_url(CatalogueIndexPage.objects.get(locale__language_code="en"), language)
    return "anon", "get", url + "?q=course", None


def guidance_search(world, language):
    url = page_url(GuidanceIndexPage.objects.get(locale__language_code="en"), language)
    return "anon", "get", url + "?q=guidance", None


def site_search(world, language):
    return "anon", "get", in_language(language, "search", query="?q=course"), None


def verification_page(world, language):
    return "anon", "get", in_language(language, "certificates:verify", world.args["code_a"]), None


def verification_form(world, language):
    url = in_language(language, "certificates:verify_form")
    return "anon", "post", url, {"code": world.args["code_a"]}


def credential_check(world, language):
    return "anon", "get", in_language(language, "certificates:verify_credential"), None


def quiz_answers(world, language):
    url = in_language(language, "learning:attempt", world.args["attempt_open"])
    return "learner_a", "post", url, {}


def export(world, language):
    return "trainer_x", "get", in_language(language, "cohorts:export_csv", world.cohort_x.pk), None


def invitation(world, language):
    url = in_language(language, "cohorts:members", world.cohort_x.pk)
    return "trainer_x", "post", url, {"action": "addresses", "addresses-addresses": "a@example.org"}


PROJECT_LIMITS = {
    "search": site_search,
    "search#catalogue": catalogue_search,
    "search#guidance": guidance_search,
    "verify#page": verification_page,
    "verify#form": verification_form,
    "verify#credential": credential_check,
    "quiz_answers": quiz_answers,
    "export": export,
    "invitation": invitation,
}


def send(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data)


def assert_says_wait(response, language):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    if language == "cy":
        assert WELSH_HEADING in page or "Gormod o wiriadau" in page


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("limit", PROJECT_LIMITS)
def test_every_project_limit_answers_429_with_retry_after(world, db, settings, limit, language):
    scope = limit.split("#")[0]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, scope: (1, 60)}
    actor, method, url, data = PROJECT_LIMITS[limit](world, language)
    client = world.clients[actor]
    try:
        first = send(client, method, url, data)
        assert first.status_code < 400, first.status_code
        assert_says_wait(send(client, method, url, data), language)
    finally:
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        client.cookies.pop("messages", None)


def office():
    """A browser in an office whose people share one address."""
    return Client(REMOTE_ADDR="198.51.100.31")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_31st_sign_in_in_a_minute_from_one_address_is_told_to_wait(db, language):
    """allauth renders the 429 page itself, with nothing about how long to wait."""
    url = in_language(language, "account_login")
    class_of_31 = [UserFactory(role="Learner") for _ in range(31)]
    for person in class_of_31[:30]:
        response = office().post(url, {"login": person.email, "password": PASSWORD})
        assert response.status_code == 302
    refused = office().post(url, {"login": class_of_31[30].email, "password": PASSWORD})
    assert_says_wait(refused, language)
    assert int(refused["Retry-After"]) >= 60
    if language == "en":
        assert "Too many requests" in refused.content.decode()
    else:
        assert WELSH_HEADING in refused.content.decode()


def test_the_429_page_renders_without_a_number_of_seconds(rf):
    request = rf.get("/en/")
    request.user = AnonymousUser()
    page = render_to_string("429.html", {}, request=request)
    assert "Too many requests" in page


# Search and filters --------------------------------------------------------------------


def test_catalogue_search_within_a_sector(world, db, client):
    catalogue = CatalogueIndexPage.objects.get(locale__language_code="en")
    response = client.get(catalogue.url, {"sector": "police", "q": "core"})
    assert response.status_code == 200
    assert "Core course" in response.content.decode()
    response = client.get(catalogue.url, {"sector": "health", "q": "core"})
    assert "Core course" not in response.content.decode()


def test_guidance_search_within_a_topic_and_sector(world, db, client):
    library = GuidanceIndexPage.objects.get(locale__language_code="en")
    tagged = make_guidance(world.section_x, "Child interpreters")
    tagged.tags.add("Interpreters")
    tagged.save_revision().publish()
    make_guidance(world.section_x, "Child safety at the border")
    response = client.get(library.url, {"topic": "interpreters", "q": "child"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Child interpreters" in page and "Child safety at the border" not in page
    response = client.get(library.url, {"sector": "police", "topic": "interpreters", "q": "child"})
    assert "Child interpreters" in response.content.decode()
    response = client.get(library.url, {"sector": "health", "q": "child"})
    assert "Child interpreters" not in response.content.decode()


# Control characters ---------------------------------------------------------------------


def test_control_characters_in_searches_are_dropped(world, db, client):
    catalogue = CatalogueIndexPage.objects.get(locale__language_code="en")
    library = GuidanceIndexPage.objects.get(locale__language_code="en")
    for url in (reverse("search"), catalogue.url):
        response = client.get(url, {"q": "core\x07 course\x1f\x7f"})
        assert response.status_code == 200, url
        assert "Core course" in response.content.decode(), url
    response = client.get(library.url, {"q": "guidance\x07 of\x1f\x7f"})
    assert "Published guidance of X" in response.content.decode()
    response = client.get(library.url, {"topic": "inter\x1bpreters", "q": "\x08"})
    assert response.status_code == 200


def test_a_nul_character_anywhere_is_refused_with_a_page_that_says_so(world, db, client):
    """PostgreSQL cannot take a NUL in text; no person types one."""
    catalogue = CatalogueIndexPage.objects.get(locale__language_code="en")
    library = GuidanceIndexPage.objects.get(locale__language_code="en")
    for url, data in (
        ("/en/search/?q=a%00", None),
        (catalogue.url, {"q": "Core\x00"}),
        (library.url, {"q": "a\x00"}),
        (library.url, {"topic": "inter\x00preters"}),
        (library.url, {"sector\x00": "police"}),
    ):
        response = client.get(url, data)
        assert response.status_code == 400, (url, data)
        assert "Sorry, we could not read that request" in response.content.decode()
    with translation.override("cy"):
        response = client.get("/cy/search/?q=a%00")
    assert response.status_code == 400
    assert '<html lang="cy">' in response.content.decode()
    response = client.post(reverse("certificates:verify_form"), {"code": "AB\x00CD"})
    assert response.status_code == 400


def test_an_invitation_token_with_control_characters_is_not_valid(world, db):
    client = world.clients["learner_b"]
    for token in (world.link_x.token + "\x00", world.link_x.token + "\x1b", "ŵ" * 70):
        url = reverse("cohorts:join", args=[token])
        assert client.get(url).status_code == 400, token
        assert client.post(url).status_code == 400, token
    assert InvitationLink.objects.get(pk=world.link_x.pk).uses == 0


# Digits and ids -----------------------------------------------------------------------


@pytest.mark.parametrize("action", ["save", "submit"])
@pytest.mark.parametrize("digits", ["²", "٣", "１"])
def test_unicode_digits_in_a_quiz_answer_are_refused(world, db, action, digits):
    client = world.clients["learner_a"]
    attempt_id = world.args["attempt_open"]
    url = reverse("learning:attempt", args=[attempt_id])
    response = client.post(url, {f"q{world.question.pk}": digits, action: "1"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert 'class="message message--error"' in page
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.submitted_at is None and attempt.answers == {}


def test_unicode_digits_in_the_page_chooser_name_no_page(world, db):
    client = world.clients["editor_x"]
    url = reverse("page_chooser_chosen_multiple")
    response = client.get(url, {"id": ["²", str(world.guide_x.pk)]})
    assert response.status_code == 200
    assert "Retitled guidance of X" in response.content.decode()


def test_unicode_digits_in_the_audit_log_search(world, db):
    client = world.clients["superuser"]
    response = client.get(reverse("audit_log:index"), {"user": "²"})
    assert response.status_code == 200


def test_revoking_a_certificate_that_is_not_a_uuid_is_404(world, db):
    client = world.clients["publisher"]
    for bad in ("not-a-uuid", "1", "x" * 300):
        url = reverse("issued_certificates:revoke", args=["x"]).replace("/x/", f"/{bad}/")
        assert outcome(client, client.get(url), url) == "404", bad
        response = client.post(url, {"reason": "Issued in error."})
        assert outcome(client, response, url) == "404", bad


# Exports -----------------------------------------------------------------------------


def test_cohort_export_with_a_name_no_sheet_may_have(world, db):
    Cohort.objects.filter(pk=world.cohort_x.pk).update(name="Intake 2026/27 [a\\b?c*d:e]")
    response = world.clients["trainer_x"].post(
        reverse("cohorts:export_xlsx", args=[world.cohort_x.pk])
    )
    workbook = load_workbook(io.BytesIO(downloaded(world.clients["trainer_x"], response)))
    title = workbook.sheetnames[0]
    assert not re.search(r"[/\\?*\[\]:]", title) and "Intake 2026" in title


# The language switch ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "get"])
@pytest.mark.parametrize(
    "target",
    ["foo", "//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_switching_language_goes_only_to_a_local_path(db, client, method, target):
    # A link (GET) can be written on any site, so it is held to the same rule.
    switch = getattr(client, method)
    response = switch(reverse("switch_language"), {"language": "cy", "next": target})
    assert response.status_code == 302
    assert response["Location"].startswith("/") and not response["Location"].startswith("//")
    assert "evil" not in response["Location"]


# The verification page's caching -------------------------------------------------------


def test_the_verification_page_is_not_kept_by_shared_caches_when_it_sets_a_cookie(world, db):
    client = Client()
    url = reverse("certificates:verify", args=[world.args["code_a"]])
    for _ in range(2):  # rendered, then from the page cache
        response = client.get(url)
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        if response.cookies:
            assert "public" not in cache_control
            assert "private" in cache_control or "no-store" in cache_control
        client.cookies.clear()


# The admin ---------------------------------------------------------------------------


def test_an_admin_request_wagtail_cannot_read_is_refused_not_a_server_error(world, db):
    """Wagtail reads some values unchecked: an empty id, a block that is not JSON, a
    page form without its StreamField's counts. Only a hand-made request sends them."""
    client = world.clients["superuser"]
    chosen = reverse("wagtailsnippetchoosers_quizzes_question:chosen_multiple")
    assert client.get(chosen, {"id": ""}).status_code == 400
    edit = reverse("wagtailadmin_pages:edit", args=[world.guide_x.pk])
    assert client.post(edit, {"title": "x"}).status_code == 400
    copy = reverse("wagtailadmin_pages:copy", args=[world.guide_x.pk])
    assert client.post(copy, {"new_parent_page": "", "new_title": "x"}).status_code == 400


def test_deleting_an_organisation_still_in_use_says_so(world, db):
    client = world.clients["superuser"]
    url = reverse("organisations:delete", args=[world.org_x.pk])
    # The page says why it cannot be deleted and offers no delete button; a forged
    # request to delete it anyway is refused, and nothing is lost.
    page = client.get(url).content.decode()
    assert "One or more references to this organisation prevent it from being deleted." in page
    assert 'type="submit"' not in page[page.find("<main") :]
    assert client.post(url).status_code == 403
    assert type(world.org_x).objects.filter(pk=world.org_x.pk).exists()


def test_nobody_adds_a_certificate_by_hand(world, db):
    client = world.clients["superuser"]
    response = client.post(reverse("issued_certificates:add"), {"revoked_reason": ""})
    assert response.status_code == 403


def test_assigning_a_course_by_an_id_no_database_holds_is_a_field_error(world, db):
    client = world.clients["trainer_x"]
    url = reverse("cohorts:assign", args=[world.cohort_x.pk])
    for bad in ("99999999999999999999999", "²", "-1"):
        response = client.post(url, {"courses": [bad], "due_date": "2099-01-01"})
        assert response.status_code == 200, bad
        assert "Choose courses from the list." in response.content.decode(), bad
