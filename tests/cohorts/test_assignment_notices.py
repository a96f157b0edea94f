"""Learners are told when a trainer assigns them a course, with a calendar file, once
each; My learning offers the same calendar file."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import get_connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cohorts import notices
from cohorts.assigning import add_member, assign
from cohorts.models import AssignmentNotice
from tests.factories import UserFactory
from tests.query_budgets import counting_queries
from tests.signing_in import links_in, sign_in

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 3, 15)


def calendar_event(content):
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return event


def attached_event(message):
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    return calendar_event(content)


def assign_cohort(force, cohort, course, capture):
    with capture(execute=True):
        return assign(course, DUE, force.organisation, force.trainer, cohort=cohort)


def test_each_learner_is_told_in_their_language_with_a_calendar_file(
    force_x, course, django_capture_on_commit_callbacks
):
    cohort = force_x.cohort()
    english = UserFactory(role="Learner", organisation=force_x.organisation)
    welsh = UserFactory(role="Learner", organisation=force_x.organisation, preferred_language="cy")
    add_member(cohort, english)
    add_member(cohort, welsh)
    mail.outbox.clear()

    assignment = assign_cohort(force_x, cohort, course, django_capture_on_commit_callbacks)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {english.email, welsh.email}
    in_english, in_welsh = by_address[english.email], by_address[welsh.email]
    assert in_english.subject == "Your trainer assigned you “Core course”, due 15 March 2027"
    assert "Your trainer at Force X" in in_english.body
    assert "15 March 2027" in in_english.body
    assert in_welsh.subject == (
        "Mae eich hyfforddwr wedi neilltuo “Core course” i chi, erbyn 15 Mawrth 2027"
    )
    assert "Mawrth 2027" in in_welsh.body
    assert "Force X" in in_welsh.body
    assert "http://testserver" + course.url in links_in(in_english.body)
    assert "http://testserver/cy/learning/" in links_in(in_welsh.body)

    event = attached_event(in_english)
    assert event.decoded("dtstart") == DUE
    assert event.decoded("dtend") == DUE + datetime.timedelta(days=1)
    assert str(event["summary"]) == "Due: Core course"
    assert str(event["url"]) == "http://testserver" + course.url
    assert str(event["uid"]) == f"assignment-{assignment.pk}-learner-{english.pk}@testserver"
    assert event.decoded("dtstamp")
    welsh_event = attached_event(in_welsh)
    assert str(welsh_event["summary"]) == "Erbyn: Core course"
    assert str(welsh_event["uid"]) != str(event["uid"])


def test_a_learner_assigned_a_course_alone_is_told(
    force_x, course, django_capture_on_commit_callbacks
):
    learner = UserFactory(role="Learner", organisation=force_x.organisation)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assign(course, DUE, force_x.organisation, force_x.trainer, user=learner)
    (message,) = mail.outbox
    assert message.to == [learner.email]
    assert attached_event(message).decoded("dtstart") == DUE


def test_a_learner_who_joins_later_is_told_of_the_cohorts_courses_once(
    force_x, course, django_capture_on_commit_callbacks
):
    cohort = force_x.cohort(learners=2)
    assign_cohort(force_x, cohort, course, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    newcomer = UserFactory(role="Learner", organisation=force_x.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        add_member(cohort, newcomer)
    assert [message.to for message in mail.outbox] == [[newcomer.email]]
    with django_capture_on_commit_callbacks(execute=True):
        add_member(cohort, newcomer)
    assert len(mail.outbox) == 1


def test_running_the_notices_again_sends_nothing_twice(
    force_x, course, django_capture_on_commit_callbacks
):
    cohort = force_x.cohort(learners=3)
    assignment = assign_cohort(force_x, cohort, course, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    assert notices.send_assignment_notices(assignment.pk) == 0
    assert len(mail.outbox) == 3
    assert AssignmentNotice.objects.filter(assignment=assignment).count() == 3


def test_a_run_that_fails_part_way_is_finished_by_the_next_without_repeats(force_x, course):
    cohort = force_x.cohort(learners=5)
    assignment = assign(course, DUE, force_x.organisation, force_x.trainer, cohort=cohort)
    mail.outbox.clear()
    batches = []

    def failing_on_the_second_batch():
        connection = get_connection()
        batches.append(connection)
        if len(batches) == 2:
            connection.send_messages = mock.Mock(side_effect=ConnectionError("mail server gone"))
        return connection

    with (
        mock.patch.object(notices, "get_connection", failing_on_the_second_batch),
        pytest.raises(ConnectionError),
    ):
        notices.send_assignment_notices(assignment.pk, batch_size=2)
    assert len(mail.outbox) == 2

    assert notices.send_assignment_notices(assignment.pk, batch_size=2) == 3
    recipients = [message.to[0] for message in mail.outbox]
    assert len(recipients) == len(set(recipients)) == 5


def test_each_batch_of_learners_is_sent_over_one_connection(force_x, course):
    cohort = force_x.cohort(learners=5)
    assignment = assign(course, DUE, force_x.organisation, force_x.trainer, cohort=cohort)
    mail.outbox.clear()
    opened = []

    def counted_connection():
        opened.append(get_connection())
        return opened[-1]

    with mock.patch.object(notices, "get_connection", counted_connection):
        assert notices.send_assignment_notices(assignment.pk, batch_size=2) == 5
    assert len(opened) == 3
    assert len(mail.outbox) == 5


def test_the_notice_task_costs_a_few_queries_per_batch_whatever_the_cohort(force_x, course):
    def queries_for(learners):
        cohort = force_x.cohort(f"Cohort of {learners}", learners=learners)
        assignment = assign(course, DUE, force_x.organisation, force_x.trainer, cohort=cohort)
        with counting_queries() as queries:
            assert notices.send_assignment_notices(assignment.pk, batch_size=4) == learners
        return len(queries)

    queries_for(1)  # the site's page paths, kept in the cache after the first run
    one_batch, three_batches = queries_for(4), queries_for(12)
    # Each batch reads its learners and records their notices; the rest is once a run.
    assert three_batches - one_batch == 2 * 2
    assert one_batch <= 8


# My learning's "Add to calendar" ---------------------------------------------------------


def signed_in(user):
    client = Client()
    sign_in(client, user.email)
    return client


def test_my_learning_offers_each_due_date_as_a_calendar_file(assigned_cohort):
    learner = assigned_cohort.members.first()
    assignment = assigned_cohort.assignments.get()
    client = signed_in(learner)
    page = client.get(reverse("learning:my_learning")).content.decode()
    url = reverse("cohorts:assignment_calendar", args=[assignment.pk])
    assert url in page and "Add to calendar" in page

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    event = calendar_event(response.content)
    assert event.decoded("dtstart") == assignment.due_date
    assert str(event["uid"]) == f"assignment-{assignment.pk}-learner-{learner.pk}@testserver"


def test_nobody_else_may_download_a_learners_calendar_file(assigned_cohort, force_x, force_y):
    assignment = assigned_cohort.assignments.get()
    url = reverse("cohorts:assignment_calendar", args=[assignment.pk])
    outsider = UserFactory(role="Learner", organisation=force_x.organisation)
    assert signed_in(outsider).get(url).status_code == 404
    assert force_y.client.get(url).status_code == 404
    assert force_x.client.get(url).status_code == 404
    assert Client().get(url).status_code == 302
    missing = reverse("cohorts:assignment_calendar", args=[assignment.pk + 1000])
    assert signed_in(assigned_cohort.members.first()).get(missing).status_code == 404


def test_a_welsh_learner_downloads_a_welsh_calendar_event(assigned_cohort):
    learner = assigned_cohort.members.first()
    learner.preferred_language = "cy"
    learner.save()
    assignment = assigned_cohort.assignments.get()
    response = signed_in(learner).get(reverse("cohorts:assignment_calendar", args=[assignment.pk]))
    assert str(calendar_event(response.content)["summary"]) == "Erbyn: Core course"


def test_assignments_due_on_todays_date_are_offered_too(force_x, course):
    learner = UserFactory(role="Learner", organisation=force_x.organisation)
    assignment = assign(
        course, timezone.localdate(), force_x.organisation, force_x.trainer, user=learner
    )
    response = signed_in(learner).get(reverse("cohorts:assignment_calendar", args=[assignment.pk]))
    assert calendar_event(response.content).decoded("dtstart") == timezone.localdate()
