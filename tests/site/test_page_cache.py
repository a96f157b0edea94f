"""Pages kept in the cache: fast, never stale, never someone else's."""

import io
import re

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group
from django.contrib.messages.storage.session import SessionStorage
from django.core.management import call_command
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import reverse
from redis.connection import AbstractConnection
from wagtail import hooks
from wagtail.models import PageViewRestriction

from certificates.issuing import issue_certificate_for
from core.page_routing import RESTRICTIONS_KEY
from courses.models import Enrolment, LessonCompletion
from learning.progress import complete_lesson, enrol
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_course,
    make_guidance,
    make_guidance_index,
    make_guidance_section,
)
from tests.query_budgets import counting_queries, queries_for


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


def certificate_check_address():
    course = make_course("Core course", lessons=1)
    learner = UserFactory(role="Learner", display_name="Siân Llewelyn-Ŵyn")
    enrolment = enrol(learner, course)
    complete_lesson(learner, course.lessons().first())
    enrolment.refresh_from_db()
    return issue_certificate_for(enrolment).get_verification_url()


@pytest.mark.parametrize("address", ["guidance", "certificate check"])
def test_an_anonymous_page_carries_nothing_of_its_visitor_and_is_served_whole(
    address, guidance, production_cache
):
    url = guidance.url if address == "guidance" else certificate_check_address()
    first, second = Client(), Client()
    rendered = first.get(url)
    with counting_queries() as queries:
        kept = second.get(url)
    assert len(queries) == 0  # from the cache, not rendered again
    assert kept.content == rendered.content
    for response in (rendered, kept):
        assert response.status_code == 200
        assert b"csrfmiddlewaretoken" not in response.content
        assert not response.cookies, response.cookies


def test_an_anonymous_page_with_a_form_is_never_kept_for_the_next_visitor(
    client, guidance, production_cache
):
    """A form's token belongs to one visitor: a page whose rendering used it is theirs."""

    def with_a_form(page, request, serve_args, serve_kwargs):
        get_token(request)

    with hooks.register_temporarily("before_serve_page", with_a_form):
        first = client.get(guidance.url)
        assert settings.CSRF_COOKIE_NAME in first.cookies
        with counting_queries() as queries:
            Client().get(guidance.url)
    assert len(queries) > 0  # rendered again


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


def test_a_release_stops_serving_pages_rendered_with_the_old_templates(
    client, guidance, production_cache
):
    assert queries_for(client, guidance.url, rendered=False) == 0
    call_command("forget_cached_pages", stdout=io.StringIO())
    # Rendered again, as the released templates render it, and kept from then on.
    with counting_queries() as queries:
        assert "Body of Using interpreters." in client.get(guidance.url).content.decode()
    assert len(queries) > 0
    assert queries_for(client, guidance.url, rendered=False) == 0


def test_a_page_with_a_very_long_address_is_kept_too(client, guidance):
    """Addresses longer than a cache key may be are kept under a digest of the address."""
    long_slug = "a-" * 120 + "end"
    page = make_guidance(guidance.get_parent().specific, "Long address", slug=long_slug)
    assert len(page.url) > 255
    assert "Body of Long address." in client.get(page.url).content.decode()
    # Served from the (database) cache: one query to read the copy, none to render it.
    assert queries_for(client, page.url, rendered=False) == 1


# Signed-in readers ------------------------------------------------------------------

MARK_COMPLETE = "Mark as complete and continue"
COMPLETED = "You have completed this lesson."
ENROL_FIRST = "Enrol in the course to record your progress."


def signed_in_client(user, **kwargs):
    reader = Client(**kwargs)
    reader.force_login(user)
    return reader


def lesson_actions(reader, lesson):
    page = reader.get(lesson.url).content.decode()
    return {text for text in (MARK_COMPLETE, COMPLETED, ENROL_FIRST) if text in page}


def test_each_signed_in_reader_gets_the_lesson_as_it_stands_for_them(db, production_cache):
    course = make_course("Core course", lessons=2)
    lesson = course.lessons().first()
    enrolled, finished, visitor = UserFactory.create_batch(3, role="Learner")
    Enrolment.objects.create(user=enrolled, course=course)
    done = Enrolment.objects.create(user=finished, course=course)
    LessonCompletion.objects.create(enrolment=done, lesson=lesson)
    readers = {user: signed_in_client(user) for user in (enrolled, finished, visitor)}

    # Twice each: the second time the page comes from the copies the first visits kept.
    for _visit in range(2):
        assert lesson_actions(readers[enrolled], lesson) == {MARK_COMPLETE}
        assert lesson_actions(readers[finished], lesson) == {COMPLETED}
        assert lesson_actions(readers[visitor], lesson) == {ENROL_FIRST}

    # Completing the lesson changes what the reader is given at once.
    response = readers[enrolled].post(reverse("learning:complete_lesson", args=[lesson.pk]))
    assert response.status_code == 302
    assert lesson_actions(readers[enrolled], lesson) == {COMPLETED}
    # Enrolling does too.
    readers[visitor].post(reverse("learning:enrol", args=[course.pk]))
    assert lesson_actions(readers[visitor], lesson) == {MARK_COMPLETE}


def test_a_kept_lesson_costs_one_query_and_shows_the_readers_own_menu(db, production_cache):
    course = make_course("Core course", lessons=1)
    lesson = course.lessons().first()
    learner = UserFactory(role="Learner")
    trainer = UserFactory(role="Trainer")
    for user in (learner, trainer):
        Enrolment.objects.create(user=user, course=course)
    as_learner, as_trainer = signed_in_client(learner), signed_in_client(trainer)

    # Where the reader stands on the lesson (their account and roles are kept); nothing
    # to render.
    assert queries_for(as_learner, lesson.url, rendered=False) == 1
    cohorts = reverse("cohorts:overview")
    assert f'href="{cohorts}"' in as_trainer.get(lesson.url).content.decode()
    assert f'href="{cohorts}"' not in as_learner.get(lesson.url).content.decode()
    assert f'href="{cohorts}"' in as_trainer.get(lesson.url).content.decode()


def test_a_signed_in_reader_gets_their_own_form_token(db, production_cache):
    course = make_course("Core course", lessons=1)
    lesson = course.lessons().first()
    first, second = UserFactory.create_batch(2, role="Learner")
    tokens = []
    for user in (first, second):
        reader = signed_in_client(user, enforce_csrf_checks=True)
        reader.get(lesson.url)
        page = reader.get(lesson.url).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        tokens.append(token)
        response = reader.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert "_auth_user_id" not in reader.session
    assert tokens[0] != tokens[1]


def test_a_waiting_message_is_shown_on_a_kept_lesson(db, production_cache, settings):
    # Messages kept in the session, as those too long for their cookie are.
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    course = make_course("Core course", lessons=1)
    lesson = course.lessons().first()
    learner = UserFactory(role="Learner")
    reader = signed_in_client(learner)
    reader.get(lesson.url)
    session = reader.session
    request = type("Request", (), {"session": session})()
    storage = SessionStorage(request)
    storage.add(messages.SUCCESS, "Your answers were saved.")
    storage.update(type("Response", (), {})())
    session.save()

    page = reader.get(lesson.url).content.decode()
    assert "Your answers were saved." in page
    assert "Your answers were saved." not in reader.get(lesson.url).content.decode()


def test_signed_in_readers_get_pages_rendered_while_any_page_is_private(db, production_cache):
    course = make_course("Core course", lessons=1)
    lesson = course.lessons().first()
    reader = signed_in_client(UserFactory(role="Learner"))
    kept = queries_for(reader, lesson.url, rendered=False)
    restriction = PageViewRestriction.objects.create(
        page=make_course("Staff only course", lessons=0),
        restriction_type=PageViewRestriction.GROUPS,
    )
    restriction.groups.set([Group.objects.get(name="Trainer")])
    assert queries_for(reader, lesson.url, rendered=False) > kept


def test_a_course_page_asks_the_cache_once_whether_any_page_is_private(
    db, production_cache, monkeypatch
):
    """The page cache, Wagtail's own check and the task list all ask while one page is
    served; the next page asks afresh, so a course made private is refused at once."""
    course = make_course("Core course", lessons=2)
    learner = UserFactory(role="Learner")
    Enrolment.objects.create(user=learner, course=course)
    reader = signed_in_client(learner)
    assert reader.get(course.url).status_code == 200
    asked = []
    send = AbstractConnection.send_packed_command

    def counting(connection, command, *args, **kwargs):
        packed = command if isinstance(command, bytes) else b"".join(command)
        asked.extend([1] * packed.count(RESTRICTIONS_KEY.encode()))
        return send(connection, command, *args, **kwargs)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    assert "Core course lesson 1" in reader.get(course.url).content.decode()
    assert len(asked) == 1

    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Trainer")])
    assert reader.get(course.url).status_code in (302, 403, 404)


# Anonymous copies, served before the rest of the middleware ---------------------------


def headers_of(response):
    # The request id is each request's own; everything else must be the same.
    return {name: value for name, value in response.items() if name != "X-Request-ID"}


@pytest.mark.parametrize("address", ["guidance", "certificate check"])
def test_a_kept_page_carries_the_same_headers_as_a_fresh_one(
    address, guidance, production_cache, settings
):
    settings.SECURE_HSTS_SECONDS = 3600
    url = guidance.url if address == "guidance" else certificate_check_address()
    fresh = Client().get(url, secure=True)
    with counting_queries() as queries:
        kept = Client().get(url, secure=True)
    assert len(queries) == 0
    assert kept.content == fresh.content
    assert headers_of(kept) == headers_of(fresh)
    assert kept["Strict-Transport-Security"].startswith("max-age=3600")
    assert "default-src 'self'" in kept["Content-Security-Policy"]
    assert "nonce-" not in kept["Content-Security-Policy"]
    assert kept["X-Frame-Options"] == "DENY"
    assert kept["X-Request-ID"] != fresh["X-Request-ID"]


def test_a_page_that_used_a_script_nonce_is_never_kept(client, guidance, production_cache):
    """A nonce allows a script on one response only; repeating the page would repeat it."""

    def with_an_inline_script(page, request, serve_args, serve_kwargs):
        str(request.csp_nonce)

    with hooks.register_temporarily("before_serve_page", with_an_inline_script):
        first = client.get(guidance.url)
        assert "nonce-" in first["Content-Security-Policy"]
        with counting_queries() as queries:
            second = Client().get(guidance.url)
    assert len(queries) > 0  # rendered again
    assert second["Content-Security-Policy"] != first["Content-Security-Policy"]


def test_kept_certificate_checks_count_once_each_towards_the_limit(db, production_cache, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": (3, 60)}
    url = certificate_check_address()
    visitor = Client()
    # The first is rendered, the next two come from the cache; each counts once.
    assert [visitor.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = visitor.get(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"


def test_a_kept_certificate_check_costs_one_cache_round_trip(db, production_cache, monkeypatch):
    """The rate limit's count and the copy are read together."""
    url = certificate_check_address()
    Client().get(url)
    sent = []
    send = AbstractConnection.send_packed_command
    monkeypatch.setattr(
        AbstractConnection,
        "send_packed_command",
        lambda connection, *args, **kwargs: sent.append(1) or send(connection, *args, **kwargs),
    )
    assert Client().get(url).status_code == 200
    assert len(sent) == 1
