"""Answers saved in the background as the learner answers, and the countdown's markup."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import Enrolment
from learning.attempts import start_attempt, submit_attempt
from quizzes.models import Attempt
from tests.factories import UserFactory, make_assessment, make_course, make_question
from tests.query_budgets import MOST_QUERIES_PER_PAGE, counting_queries
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course("Core course", lessons=1)


@pytest.fixture
def questions():
    return [
        make_question("Single?", "single", [("Right", True), ("Wrong", False)]),
        make_question("Pick all that apply", "multiple", [("A", True), ("B", True), ("C", False)]),
    ]


@pytest.fixture
def timed(course, questions):
    return make_assessment(course, questions, time_limit_minutes=30)


@pytest.fixture
def enrolled(client, learner, course):
    sign_in(client, learner.email)
    Enrolment.objects.create(user=learner, course=course)
    return learner


def start(client, assessment):
    client.post(reverse("learning:start", args=[assessment.pk]))
    return Attempt.objects.get(assessment=assessment, submitted_at__isnull=True)


def option(question, text):
    return str(question.options.get(text=text).pk)


def autosave(client, attempt, data):
    return client.post(reverse("learning:autosave", args=[attempt.pk]), data)


def test_answers_are_saved_and_the_time_left_returned(client, enrolled, timed, questions):
    attempt = start(client, timed)
    single, multiple = questions
    response = autosave(
        client,
        attempt,
        {f"q{single.pk}": option(single, "Right"), f"q{multiple.pk}": [option(multiple, "A")]},
    )
    assert response.status_code == 200
    body = response.json()
    attempt.refresh_from_db()
    assert attempt.answers == {
        str(single.pk): [int(option(single, "Right"))],
        str(multiple.pk): [int(option(multiple, "A"))],
    }
    assert datetime.fromisoformat(body["saved_at"]) == attempt.answers_saved_at
    assert 29 * 60 < body["seconds_left"] <= 30 * 60
    assert attempt.submitted_at is None


def test_an_attempt_without_a_time_limit_saves_with_no_time_left(
    client, enrolled, course, questions
):
    attempt = start(client, make_assessment(course, questions))
    single = questions[0]
    response = autosave(client, attempt, {f"q{single.pk}": option(single, "Wrong")})
    assert response.status_code == 200
    assert response.json()["seconds_left"] is None
    attempt.refresh_from_db()
    assert attempt.answers == {str(single.pk): [int(option(single, "Wrong"))]}


def test_the_time_left_follows_the_attempts_own_deadline(client, enrolled, timed, questions):
    attempt = start(client, timed)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=90))
    response = autosave(client, attempt, {})
    assert 85 <= response.json()["seconds_left"] <= 90


@pytest.mark.parametrize(
    "bad",
    [
        {"q{single}": "999999"},
        {"q{single}": ["{right}", "{wrong}"]},
        {"q{single}": "not-a-number"},
    ],
)
def test_answers_that_do_not_fit_the_paper_are_refused_and_nothing_is_saved(
    client, enrolled, timed, questions, bad
):
    attempt = start(client, timed)
    single = questions[0]
    autosave(client, attempt, {f"q{single.pk}": option(single, "Right")})
    attempt.refresh_from_db()
    before = (attempt.answers, attempt.answers_saved_at)
    values = {
        "single": single.pk,
        "right": option(single, "Right"),
        "wrong": option(single, "Wrong"),
    }

    def filled(value):
        return [filled(v) for v in value] if isinstance(value, list) else value.format(**values)

    response = autosave(client, attempt, {k.format(**values): filled(v) for k, v in bad.items()})
    assert response.status_code == 400
    assert response.json()["error"]
    attempt.refresh_from_db()
    assert (attempt.answers, attempt.answers_saved_at) == before


def test_a_submitted_attempt_is_not_changed(client, enrolled, timed, questions):
    attempt = start(client, timed)
    single = questions[0]
    submit_attempt(attempt.pk, enrolled, answers={str(single.pk): [int(option(single, "Wrong"))]})
    response = autosave(client, attempt, {f"q{single.pk}": option(single, "Right")})
    assert response.status_code == 409
    assert response.json()["error"] == "This attempt has already been submitted."
    assert response.json()["result_url"] == reverse("learning:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.answers == {str(single.pk): [int(option(single, "Wrong"))]}


def test_answers_after_the_time_is_up_are_refused_and_the_saved_ones_marked(
    client, enrolled, timed, questions
):
    attempt = start(client, timed)
    single = questions[0]
    autosave(client, attempt, {f"q{single.pk}": option(single, "Wrong")})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    response = autosave(client, attempt, {f"q{single.pk}": option(single, "Right")})
    assert response.status_code == 409
    assert response.json()["error"].startswith("Time is up.")
    attempt.refresh_from_db()
    assert attempt.answers == {str(single.pk): [int(option(single, "Wrong"))]}
    assert attempt.submitted_at is not None and attempt.percent == 0


def test_answers_in_the_grace_after_the_deadline_are_still_saved(
    client, enrolled, timed, questions
):
    attempt = start(client, timed)
    single = questions[0]
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))
    response = autosave(client, attempt, {f"q{single.pk}": option(single, "Right")})
    assert response.status_code == 200
    assert response.json()["seconds_left"] == 0
    attempt.refresh_from_db()
    assert attempt.answers == {str(single.pk): [int(option(single, "Right"))]}


def test_another_learners_attempt_is_not_found_and_not_changed(client, enrolled, timed, questions):
    attempt = start(client, timed)
    single = questions[0]
    other = Client()
    sign_in(other, UserFactory(role="Learner").email)
    response = autosave(other, attempt, {f"q{single.pk}": option(single, "Right")})
    assert response.status_code == 404
    assert "error" in response.json()
    attempt.refresh_from_db()
    assert attempt.answers == {}


def test_the_csrf_token_is_required(enrolled, timed, questions):
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(enrolled)
    attempt = start_attempt(enrolled, timed)
    single = questions[0]
    answer = {f"q{single.pk}": option(single, "Right")}
    refused = autosave(guarded, attempt, answer)
    assert refused.status_code == 403
    attempt.refresh_from_db()
    assert attempt.answers == {}
    # The page's form holds the token the script sends with the answers.
    page = guarded.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert autosave(guarded, attempt, {**answer, "csrfmiddlewaretoken": token}).status_code == 200
    attempt.refresh_from_db()
    assert attempt.answers == {str(single.pk): [int(option(single, "Right"))]}


def test_autosave_needs_post_and_a_sign_in(client, learner, timed):
    url = reverse("learning:autosave", args=["00000000-0000-0000-0000-000000000000"])
    assert client.post(url).status_code == 302
    sign_in(client, learner.email)
    assert client.get(url).status_code == 405


def test_saving_too_often_is_refused(client, enrolled, timed, questions, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "quiz_answers": (2, 60)}
    attempt = start(client, timed)
    single = questions[0]
    for text in ("Wrong", "Wrong"):
        assert autosave(client, attempt, {f"q{single.pk}": option(single, text)}).status_code == 200
    refused = autosave(client, attempt, {f"q{single.pk}": option(single, "Right")})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    attempt.refresh_from_db()
    assert attempt.answers == {str(single.pk): [int(option(single, "Wrong"))]}


def test_saving_makes_few_queries(client, enrolled, timed, questions, production_cache):
    attempt = start(client, timed)
    single = questions[0]
    answer = {f"q{single.pk}": option(single, "Right")}
    with counting_queries() as queries:
        response = autosave(client, attempt, answer)
    assert response.status_code == 200
    # As many as the Save button: the session, the attempt and the update.
    assert len(queries) <= min(MOST_QUERIES_PER_PAGE, 3)


# The page ---------------------------------------------------------------------------


def test_a_timed_attempt_page_carries_the_countdown_and_autosave(client, enrolled, timed):
    attempt = start(client, timed)
    response = client.get(reverse("learning:attempt", args=[attempt.pk]))
    page = response.content.decode()
    assert f'data-autosave-url="{reverse("learning:autosave", args=[attempt.pk])}"' in page
    assert 'role="timer"' in page
    assert 'aria-live="polite"' in page
    assert 'data-text-five-minutes="5 minutes left."' in page
    assert 'data-text-saved="Answers saved at %(time)s"' in page
    seconds = int(page.split('data-seconds-left="')[1].split('"')[0])
    assert 29 * 60 < seconds <= 30 * 60
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'attempt-timer.js" defer nonce="{nonce}"' in page
    # Without the script the page still has its own buttons.
    assert 'name="save"' in page and 'name="submit"' in page


def test_an_untimed_attempt_page_has_autosave_but_no_countdown(client, enrolled, course, questions):
    attempt = start(client, make_assessment(course, questions))
    page = client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert 'data-seconds-left=""' in page
    assert 'role="timer"' not in page
    assert "data-autosave-url=" in page


def test_the_words_of_the_countdown_are_welsh_on_a_welsh_page(client, enrolled, timed):
    attempt = start(client, timed)
    with translation.override("cy"):
        url = reverse("learning:attempt", args=[attempt.pk])
    page = client.get(url).content.decode()
    assert 'lang="cy"' in page
    assert "Time left:" not in page
    assert "Answers saved at" not in page
    assert "minutes left." not in page
