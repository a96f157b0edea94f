"""Trainers set and remove time adjustments for the learners in their cohorts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from cohorts.assigning import assign
from courses.models import Enrolment
from learning.attempts import start_attempt
from learning.models import TimeAdjustment
from tests.factories import UserFactory, make_assessment, make_course, make_question
from tests.query_budgets import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def final(course):
    question = make_question("Who do you tell?", options=(("Your lead", True), ("No one", False)))
    return make_assessment(course, [question], time_limit_minutes=30)


@pytest.fixture
def learner(force_x, course, final):
    cohort = force_x.cohort(learners=1)
    assign(
        course,
        timezone.localdate() + datetime.timedelta(days=10),
        force_x.organisation,
        force_x.trainer,
        cohort=cohort,
    )
    return cohort.members.get()


def set_url(learner):
    return reverse("cohorts:set_adjustment", args=[learner.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_learner_page_offers_the_courses_assessments(force_x, learner, final):
    page = force_x.client.get(reverse("cohorts:learner", args=[learner.pk])).content.decode()
    assert "Time adjustments" in page
    assert "No time adjustments." in page
    assert "All assessments" in page
    assert f'<option value="{final.pk}">Core course – Final assessment</option>' in page
    assert "50% extra time" in page and "No time limit" in page


def test_a_trainer_sets_changes_and_removes_an_adjustment(force_x, learner, final):
    response = force_x.client.post(
        set_url(learner),
        {"assessment": str(final.pk), "extra_time": "50", "note": "Asked by the learner."},
        follow=True,
    )
    assert "Time adjustment set: 50% extra time for Core course – Final assessment." in (
        messages_of(response)
    )
    adjustment = TimeAdjustment.objects.get()
    assert (adjustment.learner, adjustment.assessment_id) == (learner, final.pk)
    assert adjustment.extra_percent == 50 and adjustment.set_by == force_x.trainer
    page = response.content.decode()
    assert "50% extra time" in page and "Asked by the learner." in page

    # Setting it again for the same assessment changes that one.
    response = force_x.client.post(
        set_url(learner), {"assessment": str(final.pk), "extra_time": "none"}, follow=True
    )
    assert "Time adjustment changed: no time limit for Core course – Final assessment." in (
        messages_of(response)
    )
    adjustment = TimeAdjustment.objects.get()
    assert adjustment.kind == TimeAdjustment.Kind.NO_LIMIT and adjustment.extra_percent is None

    response = force_x.client.post(
        reverse("cohorts:remove_adjustment", args=[learner.pk, adjustment.pk]), follow=True
    )
    assert "Time adjustment removed." in messages_of(response)
    assert not TimeAdjustment.objects.exists()

    events = list(AuditEvent.objects.filter(action__startswith="adjustment.").order_by("pk"))
    assert [event.action for event in events] == [
        Action.ADJUSTMENT_SET,
        Action.ADJUSTMENT_CHANGED,
        Action.ADJUSTMENT_REMOVED,
    ]
    assert all(event.actor == force_x.trainer for event in events)
    assert learner.email in events[0].message and "50% extra time" in events[0].message
    assert "from 50% extra time" in events[1].message and "to no time limit" in events[1].message
    # The note may concern health: the log does not keep it.
    assert not any("Asked by the learner" in event.message for event in events)
    assert not any("Asked by the learner" in str(event.data) for event in events)


def test_one_for_all_assessments_sits_beside_a_specific_one(force_x, learner, final):
    force_x.client.post(set_url(learner), {"assessment": "", "extra_time": "25"})
    force_x.client.post(set_url(learner), {"assessment": str(final.pk), "extra_time": "100"})
    assert sorted(
        TimeAdjustment.objects.values_list("assessment_id", "extra_percent"),
        key=lambda row: row[0] or 0,
    ) == [(None, 25), (final.pk, 100)]


def test_a_learner_outside_the_trainers_cohorts_is_refused(force_x, final):
    # In the trainer's organisation, but in none of its cohorts.
    outsider = UserFactory(role="Learner", organisation=force_x.organisation)
    response = force_x.client.post(
        set_url(outsider), {"assessment": "", "extra_time": "50"}, follow=True
    )
    assert any("Nothing was saved" in message for message in messages_of(response))
    assert not TimeAdjustment.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="adjustment.").exists()


def test_a_trainer_of_another_organisation_is_refused(force_y, learner, final):
    response = force_y.client.post(set_url(learner), {"assessment": "", "extra_time": "50"})
    assert response.status_code == 404
    adjustment = TimeAdjustment.objects.create(learner=learner, extra_percent=50)
    response = force_y.client.post(
        reverse("cohorts:remove_adjustment", args=[learner.pk, adjustment.pk])
    )
    assert response.status_code == 404
    assert list(TimeAdjustment.objects.values_list("extra_percent", flat=True)) == [50]
    assert not AuditEvent.objects.filter(action__startswith="adjustment.").exists()


def test_an_adjustment_of_another_learner_cannot_be_removed_through_this_one(
    force_x, learner, final
):
    other = UserFactory(role="Learner")
    adjustment = TimeAdjustment.objects.create(learner=other, extra_percent=50)
    response = force_x.client.post(
        reverse("cohorts:remove_adjustment", args=[learner.pk, adjustment.pk])
    )
    assert response.status_code == 404
    assert TimeAdjustment.objects.filter(pk=adjustment.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"assessment": "", "extra_time": "37"}, "Choose the extra time from the list."),
        ({"assessment": "", "extra_time": ""}, "Choose how much time the learner has."),
        ({"assessment": "99999999999999999999999", "extra_time": "50"}, "Choose an assessment"),
        ({"assessment": "x", "extra_time": "50"}, "Choose an assessment from the list."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(force_x, learner, data, message):
    response = force_x.client.post(set_url(learner), data, follow=True)
    assert response.status_code == 200
    assert any(message in text for text in messages_of(response))
    assert not TimeAdjustment.objects.exists()


def test_an_assessment_of_a_course_the_learner_does_not_take_is_refused(
    force_x, learner, question_elsewhere
):
    response = force_x.client.post(
        set_url(learner),
        {"assessment": str(question_elsewhere.pk), "extra_time": "50"},
        follow=True,
    )
    assert "Choose an assessment from the list." in messages_of(response)
    assert not TimeAdjustment.objects.exists()


@pytest.fixture
def question_elsewhere():
    other = make_course("Health course", lessons=1)
    question = make_question("Elsewhere?", options=(("Yes", True), ("No", False)))
    return make_assessment(other, [question], time_limit_minutes=10)


def test_the_learner_starts_with_the_time_the_trainer_set(force_x, learner, final):
    force_x.client.post(set_url(learner), {"assessment": "", "extra_time": "100"})
    attempt = start_attempt(learner, final)
    assert attempt.time_limit_minutes == 60


def test_the_learner_page_keeps_to_its_query_budget(force_x, learner, final, production_cache):
    TimeAdjustment.objects.create(learner=learner, extra_percent=25, set_by=force_x.trainer)
    TimeAdjustment.objects.create(learner=learner, assessment=final, kind="no_limit")
    url = reverse("cohorts:learner", args=[learner.pk])
    few = queries_for(force_x.client, url)
    for number in range(3):
        other = make_course(f"Course {number}", lessons=1)
        question = make_question(f"Q{number}?", options=(("Yes", True), ("No", False)))
        assessment = make_assessment(other, [question], time_limit_minutes=10)
        Enrolment.objects.create(user=learner, course=other)
        TimeAdjustment.objects.create(learner=learner, assessment=assessment, extra_percent=50)
    assert queries_for(force_x.client, url) == few
