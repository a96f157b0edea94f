"""The benchmark data command, run at a hundredth of its full size or smaller."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import Organisation, User
from benchmarks.bench_data import BENCH_LEARNER_EMAIL, BENCH_TRAINER_EMAIL
from benchmarks.management.commands import generate_bench_data
from certificates.models import Certificate
from cohorts.models import Assignment, Cohort, CohortMember
from courses.models import CoursePage, Enrolment, LessonCompletion, LessonPage
from learning.attempts import keys_from_json
from quizzes import scoring
from quizzes.models import AnswerChoice, AssessmentPage, Attempt, AttemptAnswer, Question
from tests.signing_in import totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "bench-password-for-tests"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# --scale 0.01, as the command's help documents it.
SMALL = {
    "learners": 100,
    "organisations": 2,
    "courses": 10,
    "lessons": 80,
    "enrolments": 1_000,
    "completions": 5_000,
    "attempts": 1_000,
    "answers": 6_000,
    "certificates": 200,
    "cohorts": 2,
}


# Small enough to make in a second or two, yet with every kind of row and state.
TINY = {
    "learners": 20,
    "organisations": 3,
    "courses": 4,
    "lessons_per_course": 3,
    "questions_per_assessment": 5,
    "enrolments_per_learner": 4,
    "completions": 120,
    "attempts": 50,
    "certificates": 15,
    "cohorts": 3,
}


def generate(*args, **options):
    out = io.StringIO()
    options = {"password": PASSWORD, "trainer_totp_secret": TOTP_SECRET, **options}
    # Only the benchmark settings install the command; the test settings, like the site's,
    # do not.
    call_command(generate_bench_data.Command(), *args, stdout=out, **options)
    return out.getvalue()


def generate_tiny(*args, **options):
    return generate(*args, **{**TINY, **options})


def counts():
    return {
        "learners": User.objects.filter(email__startswith="bench-learner").count(),
        "organisations": Organisation.objects.count(),
        "courses": CoursePage.objects.count(),
        "lessons": LessonPage.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "completions": LessonCompletion.objects.count(),
        "attempts": Attempt.objects.count(),
        "answers": AttemptAnswer.objects.count(),
        "certificates": Certificate.objects.count(),
        "cohorts": Cohort.objects.count(),
    }


def digest():
    """A fingerprint of what people see, keyed by natural keys rather than database ids."""
    data = [
        User.objects.order_by("email").values_list("email", "display_name", "date_joined"),
        Enrolment.objects.order_by("user__email", "course__slug").values_list(
            "user__email", "course__slug", "enrolled_at", "last_activity_at", "completed_at"
        ),
        LessonCompletion.objects.order_by("enrolment__user__email", "lesson__url_path").values_list(
            "enrolment__user__email", "lesson__url_path", "completed_at"
        ),
        Attempt.objects.order_by("id").values_list(
            "id", "user__email", "assessment__url_path", "number", "started_at", "score", "passed"
        ),
        AnswerChoice.objects.order_by(
            "answer__attempt_id", "answer__question__slug", "position"
        ).values_list("answer__attempt_id", "answer__question__slug", "option__text", "position"),
        Certificate.objects.order_by("code").values_list(
            "id",
            "code",
            "holder_name",
            "course_title",
            "completed_on",
            "expires_on",
            "status_index",
        ),
        CohortMember.objects.order_by("cohort__name", "user__email").values_list(
            "cohort__name", "user__email"
        ),
        Assignment.objects.order_by("cohort__name", "course__slug").values_list(
            "cohort__name", "course__slug", "due_date"
        ),
    ]
    return hashlib.sha256(repr([list(rows) for rows in data]).encode()).hexdigest()


class Discard(Exception):
    pass


def digest_of_a_run(**options):
    """Generate, fingerprint, and roll the data back so the next run starts afresh."""
    try:
        with transaction.atomic():
            generate_tiny(**options)
            result = digest()
            raise Discard
    except Discard:
        return result


def test_production_settings_need_the_explicit_flag(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_DATA_ALLOWED"):
        generate_tiny()
    assert not User.objects.exists()
    generate_tiny("--i-know-this-is-not-production")
    assert User.objects.filter(email=BENCH_TRAINER_EMAIL).exists()


def test_counts_scale_as_documented_and_a_second_run_changes_nothing():
    generate(scale=0.01)
    assert counts() == SMALL
    assert AssessmentPage.objects.count() == SMALL["courses"]
    assert Question.objects.count() == SMALL["courses"] * 6
    everyone = Cohort.objects.get(name="All learners")
    assert everyone.members.count() == SMALL["learners"]
    assert (
        everyone.organisation.memberships.filter(user__email__startswith="bench-learner").count()
        == SMALL["learners"]
    )
    # Every certificate is for a finished enrolment, with the learner's name frozen on it.
    certificate = Certificate.objects.select_related("enrolment", "user").first()
    assert certificate.enrolment.completed_at == certificate.completed_at
    assert certificate.holder_name == certificate.user.display_name

    assert "nothing was changed" in generate(scale=0.01)
    assert counts() == SMALL
    with pytest.raises(CommandError, match="fresh database"):
        generate(scale=0.02)
    assert counts() == SMALL


def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    first = digest_of_a_run(seed=7)
    assert digest_of_a_run(seed=7) == first
    assert digest_of_a_run(seed=8) != first


def test_the_bench_trainer_sees_every_learner_of_their_cohort():
    generate_tiny()
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": BENCH_TRAINER_EMAIL, "password": PASSWORD}
    )
    assert response.url == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": totp_code(TOTP_SECRET)})

    cohort = Cohort.objects.get(name="All learners")
    assert "All learners" in client.get(reverse("cohorts:overview")).content.decode()
    for assignment in cohort.assignments.all():
        response = client.get(
            reverse("cohorts:dashboard", args=[cohort.pk]), {"assignment": assignment.pk}
        )
        summary = response.context["summary"]
        assert summary.total == TINY["learners"]
        finished = Enrolment.objects.filter(course=assignment.course, completed_at__isnull=False)
        assert summary.completed == finished.count()
        assert len(response.context["page_obj"]) == TINY["learners"]


def test_the_bench_learner_signs_in_and_finds_their_unfinished_course():
    generate_tiny()
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": BENCH_LEARNER_EMAIL, "password": PASSWORD}
    )
    assert response.status_code == 302
    page = client.get(reverse("learning:my_learning")).content.decode()
    first = CoursePage.objects.order_by("slug").first()
    assert first.title in page
    enrolment = Enrolment.objects.get(user__email=BENCH_LEARNER_EMAIL, course=first)
    assert enrolment.completed_at is None


def test_sizes_that_cannot_fit_are_refused_before_anything_is_written():
    with pytest.raises(CommandError, match="certificates"):
        generate_tiny(certificates=10**9)
    with pytest.raises(CommandError, match="password"):
        generate_tiny(password="")
    assert not User.objects.exists()
    assert not CoursePage.objects.exists()


def test_generated_attempts_score_as_the_platform_scores_their_answers():
    """Reviews and statistics read the stored papers, keys and answers, so they must
    hold what the marks were worked out from."""
    generate_tiny()
    attempts = Attempt.objects.prefetch_related("marked_answers__choices")
    assert attempts.count() == TINY["attempts"]
    for attempt in attempts:
        given = {int(question): ids for question, ids in attempt.answers.items()}
        result = scoring.score_attempt(keys_from_json(attempt.keys), given)
        assert attempt.percent == result.percent
        assert sorted(item["question"] for item in attempt.paper) == sorted(given)
        chosen = {
            answer.question_id: [
                choice.option_id
                for choice in sorted(answer.choices.all(), key=lambda choice: choice.position)
            ]
            for answer in attempt.marked_answers.all()
        }
        assert chosen == given
