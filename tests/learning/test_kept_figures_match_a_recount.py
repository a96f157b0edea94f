"""The figures kept on each enrolment for trainers' dashboards always equal a recount
from the learner's own records, whatever learners, editors and administrators do, in
any order: random sequences of real actions are played and checked after every step."""

import contextlib

import pytest
from django.db import transaction
from django.db.models import Max
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certificates.models import Certificate
from certificates.revoking import revoke
from courses.models import Enrolment, LessonPage
from learning.attempts import AttemptRefused, start_attempt, submit_attempt
from learning.progress import ProgressError, complete_lesson, enrol, start_new_cycle
from learning.rules import REQUIRED_ASSESSMENT_FIELDS, REQUIRED_LESSON_FIELDS, related
from quizzes.models import AssessmentPage, Attempt
from tests.factories import UserFactory, make_assessment, make_course, make_lesson, make_question

pytestmark = pytest.mark.django_db

LEARNERS = 2
LESSONS = 3  # two required and one optional, below
learner = st.integers(0, LEARNERS - 1)
lesson = st.integers(0, LESSONS - 1)
kind = st.sampled_from(["final", "check"])

actions = st.one_of(
    st.tuples(st.just("complete_lesson"), learner, lesson),
    st.tuples(st.just("attempt"), learner, kind, st.booleans()),
    st.tuples(st.just("open_attempt"), learner, kind),
    st.tuples(st.just("finish_course"), learner),
    st.tuples(st.just("refresher"), learner),
    st.tuples(st.just("unpublish"), lesson),
    st.tuples(st.just("republish"), lesson),
    st.tuples(st.just("revoke"), learner),
)


def recount(enrolment):
    """The enrolment's figures worked out from scratch, straight from its records."""
    course = enrolment.course
    in_course = {"assessment__path__startswith": course.path}
    this_cycle = Attempt.objects.filter(
        user_id=enrolment.user_id, started_at__gte=enrolment.cycle_started_at, **in_course
    )
    lessons_done = enrolment.completions.filter(**related("lesson", REQUIRED_LESSON_FIELDS)).count()
    finals_passed = (
        this_cycle.filter(passed=True, **related("assessment", REQUIRED_ASSESSMENT_FIELDS))
        .values("assessment")
        .distinct()
        .count()
    )
    current = Certificate.objects.filter(
        user_id=enrolment.user_id, course=course, revoked_at__isnull=True
    ).aggregate(latest=Max("expires_on"))["latest"]
    return {
        "items_done": lessons_done + finals_passed,
        "best_score": this_cycle.filter(submitted_at__isnull=False).aggregate(best=Max("percent"))[
            "best"
        ],
        "attempted": this_cycle.exists(),
        "certificate_expires_on": current,
    }


def kept(enrolment):
    return Enrolment.objects.filter(pk=enrolment.pk).values(
        "items_done", "best_score", "attempted", "certificate_expires_on"
    )[0]


class World:
    def __init__(self):
        self.course = make_course("Property course", lessons=2)
        make_lesson(self.course, "Further reading", required=False)
        self.lessons = list(LessonPage.objects.child_of(self.course).order_by("path"))
        question = make_question("Who can consent for a child?")
        self.correct = question.options.get(is_correct=True).pk
        self.wrong = question.options.filter(is_correct=False).first().pk
        self.question = question
        self.assessments = {
            "final": make_assessment(self.course, [question]),
            "check": make_assessment(
                self.course, [question], kind="knowledge_check", slug="check", title="Check"
            ),
        }
        self.learners = UserFactory.create_batch(LEARNERS, role="Learner")

    def play(self, action):
        name, *args = action
        getattr(self, name)(*args)

    def enrolment(self, learner):
        return enrol(learner, self.course)

    def complete_lesson(self, who, index):
        lesson = LessonPage.objects.get(pk=self.lessons[index].pk)
        self.enrolment(self.learners[who])
        # An unpublished lesson is refused, as the site refuses it.
        with contextlib.suppress(ProgressError):
            complete_lesson(self.learners[who], lesson)

    def open_attempt(self, who, kind):
        learner = self.learners[who]
        self.enrolment(learner)
        assessment = AssessmentPage.objects.get(pk=self.assessments[kind].pk)
        try:
            return start_attempt(learner, assessment)
        except AttemptRefused:
            return None

    def attempt(self, who, kind, passing):
        attempt = self.open_attempt(who, kind)
        if attempt is not None:
            answer = self.correct if passing else self.wrong
            submit_attempt(attempt.pk, self.learners[who], {self.question.pk: [answer]})

    def finish_course(self, who):
        """Everything a learner does to complete the course (and be issued a certificate)."""
        for index in range(LESSONS):
            self.complete_lesson(who, index)
        self.attempt(who, "final", True)

    def refresher(self, who):
        enrolment = Enrolment.objects.filter(user=self.learners[who], course=self.course).first()
        if enrolment is not None:
            start_new_cycle(enrolment)

    def unpublish(self, index):
        lesson = LessonPage.objects.get(pk=self.lessons[index].pk)
        if lesson.live:
            lesson.unpublish()

    def republish(self, index):
        lesson = LessonPage.objects.get(pk=self.lessons[index].pk)
        if not lesson.live:
            lesson.save_revision().publish()

    def revoke(self, who):
        certificate = (
            Certificate.objects.filter(user=self.learners[who], revoked_at__isnull=True)
            .order_by("-issued_at")
            .first()
        )
        if certificate is not None:
            revoke(certificate, "Issued in error", actor=None, actor_label="Administrator")


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(actions, min_size=1, max_size=10))
def test_kept_figures_equal_a_recount_after_every_step(steps, django_capture_on_commit_callbacks):
    with transaction.atomic():
        world = World()
        for step in steps:
            # Run what would run after commit (the whole-course refresh after an
            # unpublish) as the step's own transaction would.
            with django_capture_on_commit_callbacks(execute=True):
                world.play(step)
            for enrolment in Enrolment.objects.filter(course=world.course):
                assert kept(enrolment) == recount(enrolment), (step, enrolment.user_id)
        transaction.set_rollback(True)


def test_the_recount_sees_what_the_actions_did():
    """The recount is not trivially equal to the kept figures: it changes with them."""
    world = World()
    world.complete_lesson(0, 0)
    world.attempt(0, "final", True)
    enrolment = Enrolment.objects.get(user=world.learners[0])
    figures = recount(enrolment)
    assert figures["items_done"] == 2
    assert figures["best_score"] == 100
    assert figures["attempted"] is True
    assert figures["certificate_expires_on"] is None  # one required lesson is still to do
    world.complete_lesson(0, 1)
    assert recount(enrolment)["certificate_expires_on"] is not None
