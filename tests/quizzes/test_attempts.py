import json
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrolment, LessonCompletion
from learning.attempts import start_attempt, submit_attempt
from quizzes.models import AnswerChoice, Attempt, AttemptAnswer
from tests.factories import (
    UserFactory,
    make_assessment,
    make_category,
    make_course,
    make_question,
    make_scenario,
)
from tests.query_budgets import MOST_QUERIES_PER_PAGE, counting_queries
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course("Core course", lessons=1)


@pytest.fixture
def questions():
    return [
        make_question(
            "Single?", "single", [("Right", True), ("Wrong", False), ("Also wrong", False)]
        ),
        make_question(
            "Pick all that apply",
            "multiple",
            [("A right", True), ("B right", True), ("C wrong", False)],
            rule="partial",
        ),
        make_question("True or false?", "true_false", [("True", False), ("False", True)]),
        make_question(
            "Order these",
            "ordering",
            [("First step", False), ("Second step", False), ("Third step", False)],
        ),
    ]


@pytest.fixture
def assessment(course, questions):
    return make_assessment(course, questions, pass_mark=75)


@pytest.fixture
def enrolled(client, learner, course):
    sign_in(client, learner.email)
    Enrolment.objects.create(user=learner, course=course)
    return learner


def start(client, assessment):
    response = client.post(reverse("learning:start", args=[assessment.pk]))
    assert response.status_code == 302, response
    return Attempt.objects.filter(assessment=assessment).order_by("-started_at").first()


def option_ids(question, *texts):
    return [str(option.pk) for option in question.options.all() if option.text in texts]


def correct_answers(questions):
    single, multiple, true_false, ordering = questions
    data = {
        f"q{single.pk}": option_ids(single, "Right"),
        f"q{multiple.pk}": option_ids(multiple, "A right", "B right"),
        f"q{true_false.pk}": option_ids(true_false, "False"),
    }
    for place, option in enumerate(ordering.options.all(), start=1):
        data[f"q{ordering.pk}-{option.pk}"] = str(place)
    return data


def wrong_answers(questions):
    single, multiple, true_false, ordering = questions
    data = {
        f"q{single.pk}": option_ids(single, "Wrong"),
        f"q{multiple.pk}": option_ids(multiple, "C wrong"),
        f"q{true_false.pk}": option_ids(true_false, "True"),
    }
    for place, option in enumerate(reversed(list(ordering.options.all())), start=1):
        data[f"q{ordering.pk}-{option.pk}"] = str(place)
    return data


def submit(client, attempt, data):
    return client.post(reverse("learning:attempt", args=[attempt.pk]), {**data, "submit": "1"})


def test_attempt_page_never_contains_the_correct_answers(client, enrolled, assessment, questions):
    attempt = start(client, assessment)
    page = client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    for question in questions:
        assert question.prompt in page
        assert question.explanation not in page
        for option in question.options.all():
            assert option.text in page
            assert option.feedback not in page
    assert "correct" not in page.lower().replace("correct answers", "")
    assert "is_correct" not in json.dumps(attempt.paper)


def test_ordering_options_are_never_shown_in_the_correct_order(
    client, enrolled, assessment, questions
):
    ordering = questions[3]
    correct = [option.pk for option in ordering.options.all()]
    for _ in range(5):
        attempt = start(client, assessment)
        shown = next(item for item in attempt.paper if item["question"] == ordering.pk)["options"]
        assert shown != correct
        submit(client, attempt, {})


def test_starting_freezes_the_paper(client, enrolled, assessment, questions):
    attempt = start(client, assessment)
    frozen = attempt.paper
    questions[0].options.filter(text="Wrong").update(text="Edited later")
    again = start(client, assessment)
    assert again.pk == attempt.pk  # the open attempt is resumed, not replaced
    assert Attempt.objects.get(pk=attempt.pk).paper == frozen


def test_answers_are_saved_and_kept_on_reload(client, enrolled, assessment, questions):
    attempt = start(client, assessment)
    data = correct_answers(questions)
    response = client.post(reverse("learning:attempt", args=[attempt.pk]), {**data, "save": "1"})
    assert response.status_code == 302
    page = client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert "Your answers are saved." in page
    right = questions[0].options.get(text="Right")
    assert f'value="{right.pk}" id="q{questions[0].pk}-{right.pk}" checked' in page
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_passing_scores_on_the_server_and_completes_the_course(
    client, enrolled, assessment, questions, course
):
    LessonCompletion.objects.create(
        enrolment=Enrolment.objects.get(user=enrolled), lesson=course.lessons().first()
    )
    attempt = start(client, assessment)
    response = submit(client, attempt, {**correct_answers(questions), "score": "0", "passed": "0"})
    assert response.url == reverse("learning:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.percent == 100 and attempt.passed
    page = client.get(response.url).content.decode()
    assert "You scored 100%." in page and "You passed." in page
    assert Enrolment.objects.get(user=enrolled).completed_at is not None


def test_failing_does_not_complete_the_course(client, enrolled, assessment, questions, course):
    LessonCompletion.objects.create(
        enrolment=Enrolment.objects.get(user=enrolled), lesson=course.lessons().first()
    )
    attempt = start(client, assessment)
    submit(client, attempt, {**wrong_answers(questions), "score": "100", "passed": "1"})
    attempt.refresh_from_db()
    assert attempt.percent == 0 and attempt.passed is False
    assert Enrolment.objects.get(user=enrolled).completed_at is None
    assert (
        "You did not pass this time"
        in client.get(reverse("learning:result", args=[attempt.pk])).content.decode()
    )


def test_lessons_alone_do_not_complete_a_course_with_a_final_assessment(
    client, enrolled, assessment, course
):
    client.post(reverse("learning:complete_lesson", args=[course.lessons().first().pk]))
    assert Enrolment.objects.get(user=enrolled).completed_at is None
    assert "1 of 2 required items complete" in client.get(course.url).content.decode()


def test_partial_credit_counts(client, enrolled, assessment, questions):
    attempt = start(client, assessment)
    data = correct_answers(questions)
    data[f"q{questions[1].pk}"] = option_ids(questions[1], "A right")
    submit(client, attempt, data)
    attempt.refresh_from_db()
    # 3.5 of 4 marks.
    assert attempt.percent == 87
    assert attempt.passed


def assert_no_keys(page, questions):
    """Nothing on the page says which options are right, how the learner did per
    question, or why."""
    assert "Correct answer" not in page
    assert "Your answer" not in page
    assert "Belongs in place" not in page
    assert "Why:" not in page
    for question in questions:
        assert question.explanation not in page
        for option in question.options.all():
            assert option.feedback not in page


def test_review_follows_the_policy(client, enrolled, course, questions):
    assessment = make_assessment(course, questions, feedback="once_passed")
    attempt = start(client, assessment)
    submit(client, attempt, wrong_answers(questions))
    page = client.get(reverse("learning:result", args=[attempt.pk])).content.decode()
    assert "You did not pass this time" in page
    assert_no_keys(page, questions)
    assert "Topics to revisit" in page
    assert "Core: 4 questions not fully right" in page

    second = start(client, assessment)
    submit(client, second, correct_answers(questions))
    page = client.get(reverse("learning:result", args=[second.pk])).content.decode()
    assert "Correct answer" in page
    assert questions[0].explanation in page
    # Once passed, the failed attempt can be reviewed too.
    page = client.get(reverse("learning:result", args=[attempt.pk])).content.decode()
    assert "Correct answer" in page and "Feedback on Wrong" in page


def test_after_submission_shows_the_keys_of_a_failed_attempt(client, enrolled, course, questions):
    assessment = make_assessment(course, questions, feedback="after_submission")
    attempt = start(client, assessment)
    submit(client, attempt, wrong_answers(questions))
    page = client.get(reverse("learning:result", args=[attempt.pk])).content.decode()
    assert "You did not pass this time" in page
    assert "Your answer" in page and "Correct answer" in page
    assert "Feedback on Wrong" in page and questions[0].explanation in page


def test_another_learner_gets_404_on_an_attempt(client, enrolled, assessment, questions):
    attempt = start(client, assessment)
    client.post(reverse("account_logout"))
    other = UserFactory(role="Learner")
    sign_in(client, other.email)
    assert client.get(reverse("learning:attempt", args=[attempt.pk])).status_code == 404
    assert submit(client, attempt, correct_answers(questions)).status_code == 404
    assert client.get(reverse("learning:result", args=[attempt.pk])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.answers == {}


@pytest.mark.parametrize(
    "bad",
    [
        {"q{single}": ["999999"]},
        {"q{single}": ["abc"]},
        {"q{single}": ["{multiple_option}"]},
        {"q{single}": ["{single_right}", "{single_wrong}"]},
        {"q{ordering}-{ordering_first}": "9"},
        {"q{ordering}-{ordering_first}": "1" * 500},
    ],
)
def test_answers_that_do_not_fit_are_refused_and_save_nothing(
    client, enrolled, assessment, questions, bad
):
    single, multiple, _tf, ordering = questions
    names = {
        "single": single.pk,
        "ordering": ordering.pk,
        "ordering_first": ordering.options.first().pk,
        "multiple_option": multiple.options.first().pk,
        "single_right": single.options.get(text="Right").pk,
        "single_wrong": single.options.get(text="Wrong").pk,
    }
    data = {
        key.format(**names): (
            [v.format(**names) for v in value] if isinstance(value, list) else value
        )
        for key, value in bad.items()
    }
    attempt = start(client, assessment)
    for action in ("save", "submit"):
        response = client.post(
            reverse("learning:attempt", args=[attempt.pk]), {**data, action: "1"}
        )
        assert response.status_code == 302
        page = client.get(response.url).content.decode()
        assert 'class="message message--error"' in page
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.answers == {}
    assert not AttemptAnswer.objects.exists()


def test_unknown_questions_in_a_submission_are_ignored(client, enrolled, assessment, questions):
    attempt = start(client, assessment)
    response = submit(client, attempt, {**correct_answers(questions), "q999999": "1"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.percent == 100


def test_oversized_payload_is_refused_without_a_server_error(client, enrolled, assessment):
    attempt = start(client, assessment)
    payload = {f"field{n}": "x" for n in range(1500)}
    response = client.post(reverse("learning:attempt", args=[attempt.pk]), payload)
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.answers == {}


def test_submitting_twice_scores_once(client, enrolled, assessment, questions):
    attempt = start(client, assessment)
    first = submit(client, attempt, correct_answers(questions))
    second = submit(client, attempt, wrong_answers(questions))
    assert second.url == first.url
    attempt.refresh_from_db()
    assert attempt.percent == 100
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 4


def test_attempt_limit_and_cooldown_cannot_be_bypassed(client, enrolled, course, questions):
    assessment = make_assessment(course, questions, max_attempts=2, cooldown_minutes=10)
    first = start(client, assessment)
    submit(client, first, wrong_answers(questions))

    response = client.post(reverse("learning:start", args=[assessment.pk]), follow=True)
    assert "You can try again from" in response.content.decode()
    assert Attempt.objects.filter(assessment=assessment).count() == 1
    # Replaying the old attempt's form does not re-mark it.
    submit(client, first, correct_answers(questions))
    first.refresh_from_db()
    assert first.percent == 0

    Attempt.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(minutes=11))
    second = start(client, assessment)
    assert second.pk != first.pk and second.number == 2
    submit(client, second, wrong_answers(questions))
    Attempt.objects.filter(pk=second.pk).update(submitted_at=timezone.now() - timedelta(minutes=11))
    response = client.post(reverse("learning:start", args=[assessment.pk]), follow=True)
    assert "You have used all your attempts" in response.content.decode()
    assert Attempt.objects.filter(assessment=assessment).count() == 2


def test_time_limit_marks_only_answers_saved_in_time(client, enrolled, course, questions):
    assessment = make_assessment(course, questions, time_limit_minutes=10)
    attempt = start(client, assessment)
    client.post(
        reverse("learning:attempt", args=[attempt.pk]),
        {f"q{questions[0].pk}": option_ids(questions[0], "Right"), "save": "1"},
    )
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    response = submit(client, attempt, correct_answers(questions))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert attempt.percent == 25  # only the one answer saved before the deadline


def test_expired_attempt_is_marked_when_next_opened(client, enrolled, course, questions):
    assessment = make_assessment(course, questions, time_limit_minutes=1)
    attempt = start(client, assessment)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    response = client.get(reverse("learning:attempt", args=[attempt.pk]))
    assert response.url == reverse("learning:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.percent == 0


def test_cannot_start_without_enrolment(client, learner, assessment):
    sign_in(client, learner.email)
    response = client.post(reverse("learning:start", args=[assessment.pk]), follow=True)
    assert "Enrol in the course" in response.content.decode()
    assert not Attempt.objects.exists()


def test_start_needs_post(client, enrolled, assessment):
    assert client.get(reverse("learning:start", args=[assessment.pk])).status_code == 405
    assert not Attempt.objects.exists()


def test_scenario_questions_follow_their_stem(client, enrolled, course):
    scenario = make_scenario("Airport arrival")
    make_question("Scenario question one", scenario=scenario, position=0)
    make_question("Scenario question two", scenario=scenario, position=1)
    assessment = make_assessment(course, scenarios=[scenario])
    attempt = start(client, assessment)
    page = client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert page.index("Airport arrival") < page.index("Scenario question one")
    assert page.index("Scenario question one") < page.index("Scenario question two")
    assert page.count("This scenario is fictional.") == 1


def test_random_questions_are_drawn_from_the_category(client, enrolled, course):
    category = make_category("police")
    pool = [make_question(f"Pool question {n}", category=category) for n in range(6)]
    assessment = make_assessment(course, random=[(category, 3)])
    attempt = start(client, assessment)
    drawn = [item["question"] for item in attempt.paper]
    assert len(drawn) == 3 and len(set(drawn)) == 3
    assert set(drawn) <= {question.pk for question in pool}


def test_marked_answers_record_choices_for_statistics(client, enrolled, assessment, questions):
    attempt = start(client, assessment)
    submit(client, attempt, correct_answers(questions))
    assert AttemptAnswer.objects.filter(attempt=attempt, is_correct=True).count() == 4
    assert AnswerChoice.objects.filter(answer__attempt=attempt).count() == 1 + 2 + 1 + 3


def test_submit_attempt_is_idempotent_in_code(enrolled, assessment, questions):
    attempt = start_attempt(enrolled, assessment)
    first = submit_attempt(attempt.pk, enrolled, answers={})
    second = submit_attempt(attempt.pk, enrolled, answers={str(questions[0].pk): [1]})
    assert first.submitted_at == second.submitted_at
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 4


def counted(client, method, url, data=None):
    with counting_queries() as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302)
    assert len(queries) <= MOST_QUERIES_PER_PAGE
    return len(queries)


@pytest.mark.parametrize("question_count", [5, 50])
def test_start_save_and_submit_make_the_same_queries_at_any_size(
    client, enrolled, course, question_count, production_cache
):
    scenario = make_scenario()
    questions = [
        make_question(f"Question {n}", scenario=scenario if n % 2 else None, position=n)
        for n in range(question_count)
    ]
    assessment = make_assessment(course, [q for q in questions if not q.scenario_id], [scenario])
    client.get(assessment.url)  # warm the site cache
    start_queries = counted(client, "post", reverse("learning:start", args=[assessment.pk]))
    attempt = Attempt.objects.get()
    assert len(attempt.paper) == question_count
    url = reverse("learning:attempt", args=[attempt.pk])
    # Every answer right, so each run passes and takes the same path through completion.
    answers = {
        f"q{item['question']}": str(attempt.keys[str(item["question"])]["correct"][0])
        for item in attempt.paper
    }
    view_queries = counted(client, "get", url)
    save_queries = counted(client, "post", url, {**answers, "save": "1"})
    submit_queries = counted(client, "post", url, {**answers, "submit": "1"})
    assert (start_queries, view_queries, save_queries, submit_queries) == ATTEMPT_QUERIES


# Starting reads the questions' translations once, to freeze every language's words.
# Starting also reads which questions the learner's earlier attempts had, for the draws.
# Submitting looks up once whether the learner's organisations have a Learning Record Store,
# and whether any learning platform is registered (kept in the cache after this first time).
ATTEMPT_QUERIES = (15, 4, 3, 13)


def test_answers_posted_too_often_are_refused_and_nothing_is_marked(
    client, enrolled, assessment, questions, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "quiz_answers": (2, 60)}
    attempt = start(client, assessment)
    url = reverse("learning:attempt", args=[attempt.pk])
    for _ in range(2):
        assert client.post(url, {**wrong_answers(questions), "save": "1"}).status_code == 302
    refused = submit(client, attempt, correct_answers(questions))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "too often" in refused.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score is None


def test_a_submission_that_fails_half_way_leaves_the_attempt_open_to_retry(
    client, enrolled, assessment, questions, course
):
    attempt = start(client, assessment)
    with (
        mock.patch(
            "learning.attempts.update_completion", side_effect=RuntimeError("storage failed")
        ),
        pytest.raises(RuntimeError),
    ):
        submit(client, attempt, correct_answers(questions))
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score is None
    assert not LessonCompletion.objects.filter(enrolment__user=enrolled).exists()

    assert submit(client, attempt, correct_answers(questions)).status_code == 302
    attempt.refresh_from_db()
    assert attempt.passed and attempt.submitted_at is not None
