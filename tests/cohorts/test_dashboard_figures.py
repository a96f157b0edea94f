"""The figures a trainer's dashboard reads follow what learners do, as they do it."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.assigning import add_member
from cohorts.models import CohortMember
from courses.models import Enrolment
from quizzes.models import Attempt
from tests.factories import UserFactory, make_assessment, make_question

pytestmark = pytest.mark.django_db


def row_for(force, cohort, learner):
    response = force.client.get(reverse("cohorts:dashboard", args=[cohort.pk]))
    return next(row for row in response.context["page_obj"].object_list if row.pk == learner.pk)


def summary_for(force, cohort):
    """The summary counts and the completions of the latest week, as the page shows them."""
    response = force.client.get(reverse("cohorts:dashboard", args=[cohort.pk]))
    summary = response.context["summary"]
    counts = (summary.total, summary.not_started, summary.in_progress, summary.completed)
    _week, this_week = response.context["series"][-1]
    return counts, this_week


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_lessons_attempts_and_scores_reach_the_dashboard_as_they_happen(
    force_x, assigned_cohort, course, django_capture_on_commit_callbacks
):
    question = make_question("Who pays for the journey?")
    assessment = make_assessment(course, [question])
    learner = assigned_cohort.members.order_by("pk").first()
    client = signed_in(learner)
    assert row_for(force_x, assigned_cohort, learner).status == "not_started"
    # The summary is counted once and kept; each change below must show all the same.
    assert summary_for(force_x, assigned_cohort) == ((4, 4, 0, 0), 0)

    lesson = course.lessons().first()
    client.post(reverse("learning:complete_lesson", args=[lesson.pk]))
    row = row_for(force_x, assigned_cohort, learner)
    assert (row.status, row.items_done, row.progress_percent) == ("in_progress", 1, 25)
    assert summary_for(force_x, assigned_cohort) == ((4, 3, 1, 0), 0)

    client.post(reverse("learning:start", args=[assessment.pk]))
    attempt = Attempt.objects.get(user=learner)
    wrong = question.options.filter(is_correct=False).first()
    client.post(
        reverse("learning:attempt", args=[attempt.pk]), {f"q{question.pk}": wrong.pk, "submit": "1"}
    )
    row = row_for(force_x, assigned_cohort, learner)
    assert (row.items_done, row.best_score) == (1, 0)

    client.post(reverse("learning:start", args=[assessment.pk]))
    second = Attempt.objects.filter(user=learner, submitted_at__isnull=True).get()
    right = question.options.get(is_correct=True)
    with django_capture_on_commit_callbacks(execute=True):
        for other in course.lessons()[1:]:
            client.post(reverse("learning:complete_lesson", args=[other.pk]))
        client.post(
            reverse("learning:attempt", args=[second.pk]),
            {f"q{question.pk}": right.pk, "submit": "1"},
        )
    row = row_for(force_x, assigned_cohort, learner)
    assert (row.status, row.items_done, row.best_score) == ("completed", 4, 100)
    assert summary_for(force_x, assigned_cohort) == ((4, 3, 0, 1), 1)


def test_a_refresher_counts_only_what_is_done_in_it(
    force_x, assigned_cohort, course, django_capture_on_commit_callbacks
):
    """The trainer sees the same progress as the learner's own course page: starting
    again leaves earlier attempts in the history, not in the new cycle's figures."""
    question = make_question("Who holds the child's passport?")
    assessment = make_assessment(course, [question])
    learner = assigned_cohort.members.order_by("pk").first()
    client = signed_in(learner)
    right = question.options.get(is_correct=True)

    def pass_the_assessment():
        client.post(reverse("learning:start", args=[assessment.pk]))
        attempt = Attempt.objects.get(user=learner, submitted_at__isnull=True)
        client.post(
            reverse("learning:attempt", args=[attempt.pk]),
            {f"q{question.pk}": right.pk, "submit": "1"},
        )

    with django_capture_on_commit_callbacks(execute=True):
        for lesson in course.lessons():
            client.post(reverse("learning:complete_lesson", args=[lesson.pk]))
        pass_the_assessment()
    row = row_for(force_x, assigned_cohort, learner)
    assert (row.status, row.items_done, row.best_score) == ("completed", 4, 100)

    client.post(reverse("certificates:refresh", args=[course.pk]))
    row = row_for(force_x, assigned_cohort, learner)
    # Still completed: the certificate from the first time round is valid.
    assert (row.status, row.items_done, row.best_score) == ("completed", 0, None)
    course_page = client.get(course.url)
    assert course_page.context["progress"].completed == 0

    pass_the_assessment()
    row = row_for(force_x, assigned_cohort, learner)
    assert (row.items_done, row.best_score) == (1, 100)
    assert client.get(course.url).context["progress"].completed == 1


def test_upgrading_recounts_figures_counted_the_old_way(force_x, assigned_cohort, course):
    recount = import_module("courses.migrations.0007_recount_figures_by_cycle").fill_in_figures
    learner = assigned_cohort.members.order_by("pk").first()
    # Figures counted with attempts from before a refresher, as they were kept before.
    Enrolment.objects.filter(user=learner).update(items_done=1, best_score=80, attempted=True)
    recount(apps, None)
    row = row_for(force_x, assigned_cohort, learner)
    assert (row.status, row.items_done, row.best_score) == ("not_started", 0, None)


def test_the_summary_follows_the_cohort_and_the_due_date(force_x, assigned_cohort, course):
    assert summary_for(force_x, assigned_cohort) == ((4, 4, 0, 0), 0)
    newcomer = UserFactory(role="Learner", organisation=force_x.organisation)
    add_member(assigned_cohort, newcomer)
    assert summary_for(force_x, assigned_cohort) == ((5, 5, 0, 0), 0)

    CohortMember.objects.filter(cohort=assigned_cohort).exclude(user=newcomer).first().delete()
    assert summary_for(force_x, assigned_cohort) == ((4, 4, 0, 0), 0)

    # Time passes: everyone joined before the due date, which is now behind them.
    CohortMember.objects.filter(cohort=assigned_cohort).update(
        added_at=timezone.now() - datetime.timedelta(days=3)
    )
    assignment = assigned_cohort.assignments.get()
    assignment.due_date = timezone.localdate() - datetime.timedelta(days=1)
    assignment.save()
    response = force_x.client.get(reverse("cohorts:dashboard", args=[assigned_cohort.pk]))
    assert response.context["summary"].overdue == 4


def test_a_withdrawn_lesson_stops_counting_for_everyone_on_the_course(
    force_x, assigned_cohort, course, django_capture_on_commit_callbacks
):
    learner = assigned_cohort.members.order_by("pk").first()
    client = signed_in(learner)
    first, second, _third = course.lessons()
    for lesson in (first, second):
        client.post(reverse("learning:complete_lesson", args=[lesson.pk]))
    assert row_for(force_x, assigned_cohort, learner).items_done == 2

    with django_capture_on_commit_callbacks(execute=True):
        second.unpublish()
    row = row_for(force_x, assigned_cohort, learner)
    assert (row.items_done, row.progress_percent) == (1, 50)
