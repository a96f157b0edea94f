"""Pages kept for visitors who are not signed in: fast, never stale, never someone else's."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_course,
    make_guidance,
    make_guidance_index,
    make_guidance_section,
)
from tests.query_budgets import queries_for


@pytest.fixture
def guidance(db):
    section = make_guidance_section(OrganisationFactory(name="A Charity", sector="ngo"))
    return make_guidance(section, "Using interpreters")


def test_an_anonymous_reader_gets_the_guidance_page_without_database_queries(
    client, guidance, production_cache
):
    assert queries_for(client, guidance.url, rendered=False) == 0
    assert "Body of Using interpreters." in client.get(guidance.url).content.decode()


def test_a_published_change_is_read_at_once(client, guidance, production_cache):
    queries_for(client, guidance.url, rendered=False)
    revision = guidance.save_revision()
    draft = revision.as_object()
    draft.body = [{"type": "rich_text", "value": "<p>Book an independent interpreter.</p>"}]
    draft.save_revision().publish()

    page = client.get(guidance.url).content.decode()
    assert "Book an independent interpreter." in page
    assert "Body of Using interpreters." not in page


def test_an_unpublished_page_is_gone_at_once(client, guidance, production_cache):
    queries_for(client, guidance.url, rendered=False)
    guidance.unpublish()
    assert client.get(guidance.url).status_code == 404


def test_a_new_page_appears_in_the_library_at_once(client, guidance, production_cache):
    library = make_guidance_index().url
    queries_for(client, library, rendered=False)
    make_guidance(guidance.get_parent().specific, "Age assessments")
    assert "Age assessments" in client.get(library).content.decode()


def test_each_visitor_gets_a_form_token_that_works_with_their_own_cookie(
    guidance, production_cache
):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for visitor in (first, second):
        page = visitor.get(guidance.url).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        tokens.append(token)
        response = visitor.post(
            reverse("switch_language"),
            {"csrfmiddlewaretoken": token, "language": "cy", "next": guidance.url},
        )
        assert response.status_code == 302
    assert tokens[0] != tokens[1]


def test_signed_in_learners_and_filtered_lists_are_never_served_the_anonymous_copy(
    client, guidance, production_cache
):
    course = make_course("Core course")
    assert "Sign in" in client.get(course.url).content.decode()
    learner = UserFactory(role="Learner")
    signed_in = Client()
    signed_in.force_login(learner)
    page = signed_in.get(course.url).content.decode()
    assert learner.display_name in page or "Enrol" in page
    assert 'href="/en/accounts/login/?next=' not in page

    library = make_guidance_index().url
    queries_for(client, library, rendered=False)
    make_guidance(guidance.get_parent().specific, "Working with health staff", sectors=["health"])
    filtered = client.get(library, {"sector": "health"}).content.decode()
    assert "Working with health staff" in filtered
    assert "Using interpreters" not in filtered


def test_a_learner_sees_a_newly_published_lesson_body_and_a_preview_shows_the_draft(
    client, db, production_cache
):
    course = make_course("Core course", lessons=1)
    lesson = course.lessons().first()
    learner = UserFactory(role="Learner")
    client.force_login(learner)
    assert "Text of Core course lesson 1." in client.get(lesson.url).content.decode()

    draft = lesson.save_revision().as_object()
    draft.body = [{"type": "rich_text", "value": "<p>Ask who pays for the journey.</p>"}]
    revision = draft.save_revision()
    preview = revision.as_object().make_preview_request().content.decode()
    assert "Ask who pays for the journey." in preview
    assert "Ask who pays" not in client.get(lesson.url).content.decode()

    revision.publish()
    page = client.get(lesson.url).content.decode()
    assert "Ask who pays for the journey." in page
    assert "Text of Core course lesson 1." not in page


def test_a_page_with_a_very_long_address_is_kept_too(client, guidance):
    """Addresses longer than a cache key may be are kept under a digest of the address."""
    long_slug = "a-" * 120 + "end"
    page = make_guidance(guidance.get_parent().specific, "Long address", slug=long_slug)
    assert len(page.url) > 255
    assert "Body of Long address." in client.get(page.url).content.decode()
    # Served from the (database) cache: one query to read the copy, none to render it.
    assert queries_for(client, page.url, rendered=False) == 1
