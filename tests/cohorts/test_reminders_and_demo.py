import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cohorts.models import AssignmentReminder, Cohort
from cohorts.reminders import send_learner_reminders, send_trainer_summaries
from courses.models import Enrolment
from recognise.demo.people import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.signing_in import totp_code

pytestmark = pytest.mark.django_db


def test_learners_are_reminded_7_days_before_and_when_overdue_each_once(assigned_cohort):
    assignment = assigned_cohort.assignments.get()
    due = assignment.due_date
    mail.outbox.clear()
    assert send_learner_reminders(today=due - datetime.timedelta(days=8)) == 0
    assert send_learner_reminders(today=due - datetime.timedelta(days=7)) == 4
    assert send_learner_reminders(today=due - datetime.timedelta(days=3)) == 0
    assert send_learner_reminders(today=due + datetime.timedelta(days=1)) == 4
    assert send_learner_reminders(today=due + datetime.timedelta(days=2)) == 0
    assert AssignmentReminder.objects.count() == 8
    subjects = {message.subject for message in mail.outbox}
    assert any(subject.startswith("Overdue") for subject in subjects)
    assert any(subject.startswith("Due ") for subject in subjects)


def test_learners_who_finished_are_not_reminded(assigned_cohort, course):
    Enrolment.objects.filter(course=course).update(completed_at=timezone.now())
    due = assigned_cohort.assignments.get().due_date
    assert send_learner_reminders(today=due + datetime.timedelta(days=1)) == 0


def test_trainers_get_a_summary_of_overdue_learners(force_x, force_y, assigned_cohort):
    due = assigned_cohort.assignments.get().due_date
    mail.outbox.clear()
    assert send_trainer_summaries(today=due + datetime.timedelta(days=1)) == 1
    (message,) = mail.outbox
    assert message.to == [force_x.trainer.email]
    assert "4 learners" in message.body


def test_reminder_command(assigned_cohort, capsys):
    call_command("send_assignment_reminders")
    assert "assignment reminder(s) sent." in capsys.readouterr().out
    call_command("send_assignment_reminders", "--trainer-summary")
    assert "trainer summary email(s) sent." in capsys.readouterr().out


def test_demo_trainer_has_a_cohort_of_30_in_varied_states(client, demo_data):
    cohort = Cohort.objects.get(organisation__slug="demo-constabulary")
    assert cohort.members.count() >= 30
    client.post(
        reverse("account_login"), {"login": "trainer@example.org", "password": DEMO_PASSWORD}
    )
    client.post(reverse("mfa_authenticate"), {"code": totp_code(DEMO_TOTP_SECRET)})
    response = client.get(reverse("cohorts:dashboard", args=[cohort.pk]))
    summary = response.context["summary"]
    assert summary.completed > 0 and summary.overdue > 0
    assert any(count for _week, count in response.context["series"])

    client.post(reverse("account_logout"))
    client.post(
        reverse("account_login"), {"login": "trainer2@example.org", "password": DEMO_PASSWORD}
    )
    client.post(reverse("mfa_authenticate"), {"code": totp_code(DEMO_TOTP_SECRET)})
    assert client.get(reverse("cohorts:dashboard", args=[cohort.pk])).status_code == 404
    assert cohort.name not in client.get(reverse("cohorts:overview")).content.decode()
