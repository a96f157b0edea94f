"""Two tabs submitting the same attempt at the same moment, on a real database server."""

import pytest

from courses.models import Enrolment
from learning.attempts import start_attempt, submit_attempt
from quizzes.models import Attempt, AttemptAnswer
from tests.concurrency import needs_postgresql, run_together
from tests.factories import UserFactory, make_assessment, make_course, make_question


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submissions_score_the_attempt_once():
    course = make_course("Core course", lessons=1)
    questions = [make_question(f"Question {n}") for n in range(5)]
    assessment = make_assessment(course, questions)
    learner = UserFactory(role="Learner")
    Enrolment.objects.create(user=learner, course=course)
    attempt = start_attempt(learner, assessment)
    right = {str(q.pk): [q.options.get(is_correct=True).pk] for q in questions}
    wrong = {str(q.pk): [q.options.filter(is_correct=False).first().pk] for q in questions}

    results, errors = run_together(
        *(
            lambda answers=answers: submit_attempt(attempt.pk, learner, answers=answers).percent
            for answers in (right, wrong)
        )
    )

    assert not errors
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    # Both tabs see the one result that was stored first.
    assert results == [attempt.percent, attempt.percent]
    assert Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=False).count() == 1
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == len(questions)


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_starts_open_one_attempt():
    course = make_course("Core course", lessons=1)
    assessment = make_assessment(course, [make_question("Only question")])
    learner = UserFactory(role="Learner")
    Enrolment.objects.create(user=learner, course=course)
    started, errors = run_together(
        lambda: start_attempt(learner, assessment).pk,
        lambda: start_attempt(learner, assessment).pk,
    )

    assert not errors
    assert Attempt.objects.filter(user=learner).count() == 1
    assert len(set(started)) == 1
