"""Submitting with questions unanswered: the learner is shown which, and asked to confirm,
before anything is marked; the review after marking says which were not answered; the
assessment's introduction says when the correct answers are shown."""

import pytest
from django.urls import reverse

from courses.models import Enrolment
from learning.attempts import when_feedback_comes
from quizzes.models import Attempt
from tests.factories import make_assessment, make_course, make_question
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course("Core course", lessons=1)


@pytest.fixture
def questions():
    return [
        make_question(f"Question about {topic}?", "single", [("Right", True), ("Wrong", False)])
        for topic in ("signs", "records", "referrals")
    ]


@pytest.fixture
def enrolled(client, learner, course):
    sign_in(client, learner.email)
    Enrolment.objects.create(user=learner, course=course)
    return learner


def start(client, assessment):
    client.post(reverse("learning:start", args=[assessment.pk]))
    return Attempt.objects.get(assessment=assessment)


def answer(question, text="Right"):
    return {f"q{question.pk}": str(question.options.get(text=text).pk)}


def attempt_url(attempt):
    return reverse("learning:attempt", args=[attempt.pk])


def test_one_page_submission_lists_the_unanswered_and_marks_nothing(
    client, enrolled, course, questions
):
    attempt = start(client, make_assessment(course, questions, shuffle_options=False))
    first, second, third = questions
    response = client.post(attempt_url(attempt), {**answer(first), "submit": "1"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Final assessment – Recognise</title>" in page
    assert "You have not answered 2 questions" in page
    assert f'<a href="#question-{second.pk}">Answer question 2</a>' in page
    assert f'<a href="#question-{third.pk}">Answer question 3</a>' in page
    assert "Answer question 1<" not in page
    assert 'value="anyway">Submit anyway</button>' in page
    assert "Submit for marking" not in page
    # The answer given stays chosen in the form, and is saved; nothing is marked.
    chosen = first.options.get(text="Right").pk
    assert f'value="{chosen}" id="q{first.pk}-{chosen}" checked' in page
    attempt.refresh_from_db()
    assert not attempt.is_submitted
    assert attempt.answers == {str(first.pk): [chosen]}


def test_submitting_anyway_marks_the_attempt(client, enrolled, course, questions):
    attempt = start(client, make_assessment(course, questions, pass_mark=30))
    response = client.post(attempt_url(attempt), {**answer(questions[0]), "submit": "anyway"})
    assert response["Location"] == reverse("learning:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.score == 1


def test_answering_everything_submits_at_once(client, enrolled, course, questions):
    attempt = start(client, make_assessment(course, questions))
    data = {key: value for question in questions for key, value in answer(question).items()}
    response = client.post(attempt_url(attempt), {**data, "submit": "1"})
    assert response["Location"] == reverse("learning:result", args=[attempt.pk])


def test_practice_shows_no_key_of_an_answer_only_posted(client, enrolled, course, questions):
    assessment = make_assessment(course, questions, feedback="after_each_answer")
    attempt = start(client, assessment)
    page = client.post(attempt_url(attempt), {**answer(questions[0]), "submit": "1"})
    page = page.content.decode()
    assert "You have not answered 2 questions" in page
    assert "Correct answer" not in page and " disabled" not in page
    # Under practice saving would show the keys, so nothing is saved until submitted.
    attempt.refresh_from_db()
    assert attempt.answers == {} and not attempt.is_submitted


def test_the_review_marks_unanswered_questions(client, enrolled, course, questions):
    assessment = make_assessment(course, questions, feedback="after_submission")
    attempt = start(client, assessment)
    client.post(attempt_url(attempt), {**answer(questions[0]), "submit": "anyway"})
    page = client.get(reverse("learning:result", args=[attempt.pk])).content.decode()
    assert page.count("Not answered") == 2


def test_a_stale_check_page_asks_again(client, enrolled, course, questions):
    attempt = start(client, make_assessment(course, questions, layout="paged"))
    check = reverse("learning:check_answers", args=[attempt.pk])
    # The page said nothing was left unanswered, but three questions are.
    response = client.post(check, {"submit": "0"})
    assert response["Location"] == check
    assert not Attempt.objects.get(pk=attempt.pk).is_submitted
    page = client.get(check).content.decode()
    assert "You have not answered 3 questions" in page
    assert 'name="submit" value="3"' in page
    response = client.post(check, {"submit": "3"})
    assert response["Location"] == reverse("learning:result", args=[attempt.pk])


@pytest.mark.parametrize(
    ("rules", "words"),
    [
        ({"feedback": "after_each_answer"}, "when you save your answer"),
        ({"feedback": "after_each_answer", "layout": "paged"}, "after you submit each attempt"),
        ({"feedback": "after_submission"}, "after you submit each attempt"),
        ({"feedback": "once_passed", "max_attempts": 3}, "or when you have no attempts left"),
        ({"feedback": "once_passed"}, "once you pass. Until then"),
    ],
)
def test_the_introduction_says_when_the_answers_are_shown(client, course, questions, rules, words):
    assessment = make_assessment(course, questions, **rules)
    assert words in when_feedback_comes(assessment)
    page = client.get(assessment.url).content.decode()
    assert words in page
