"""Trainers nudge learners who have not started or are overdue, once a day; every
reminder can be turned off from the email itself or from the learner's account."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import get_connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from cohorts import nudges
from cohorts.assigning import add_member, assign
from cohorts.models import AssignmentNudge
from cohorts.reminders import send_learner_reminders
from cohorts.unsubscribing import unsubscribe_token
from courses.models import Enrolment
from tests.factories import UserFactory, make_course
from tests.query_budgets import queries_for
from tests.signing_in import links_in, sign_in

pytestmark = pytest.mark.django_db

# The trainer's organisations and the assignment, whether it was nudged today and how
# many learners a nudge would reach: the same for a cohort of any size.
NUDGE_PAGE_QUERIES = 4
# The learner's assignment and the course in their language.
CALENDAR_FILE_QUERIES = 3


def nudge_url(assignment):
    return reverse("cohorts:nudge", args=[assignment.pk])


def unsubscribe_link(message):
    (link,) = [link for link in links_in(message.body) if "/reminders/stop/" in link]
    return link


# Nudges -------------------------------------------------------------------------------


def test_a_trainer_nudges_learners_not_started_once_a_day(
    force_x, assigned_cohort, course, django_capture_on_commit_callbacks
):
    assignment = assigned_cohort.assignments.get()
    finished, *waiting = list(assigned_cohort.members.order_by("pk"))
    Enrolment.objects.filter(user=finished, course=course).update(completed_at=timezone.now())
    dashboard = force_x.client.get(
        reverse("cohorts:dashboard", args=[assigned_cohort.pk])
    ).content.decode()
    assert nudge_url(assignment) in dashboard

    confirm = force_x.client.get(nudge_url(assignment)).content.decode()
    assert "3 learners who have not started or are overdue" in confirm
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = force_x.client.post(nudge_url(assignment), follow=True)
    assert "Your nudge is being sent to 3 learner(s)." in response.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        learner.email for learner in waiting
    )
    message = mail.outbox[0]
    assert message.subject.startswith("Your trainer reminds you: “Core course” is due")
    assert "Your trainer at Force X asked us to remind you" in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_link(message)}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    event = AuditEvent.objects.get(action=Action.LEARNERS_NUDGED)
    assert event.data["learners"] == 3 and event.actor == force_x.trainer

    mail.outbox.clear()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%-d %B %Y")
    again = force_x.client.post(nudge_url(assignment), follow=True).content.decode()
    assert f"already sent today. You can send the next one on {tomorrow}." in again
    assert mail.outbox == []
    assert AssignmentNudge.objects.filter(assignment=assignment).count() == 1
    assert tomorrow in force_x.client.get(nudge_url(assignment)).content.decode()


def test_nudges_can_be_sent_again_the_next_day(force_x, assigned_cohort):
    assignment = assigned_cohort.assignments.get()
    AssignmentNudge.objects.create(
        assignment=assignment,
        sent_by=force_x.trainer,
        sent_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    response = force_x.client.post(nudge_url(assignment))
    assert response.status_code == 302
    assert AssignmentNudge.objects.filter(assignment=assignment).count() == 2


def test_overdue_learners_are_told_the_course_is_overdue_in_their_language(force_x, course):
    cohort = force_x.cohort()
    learner = UserFactory(
        role="Learner", organisation=force_x.organisation, preferred_language="cy"
    )
    add_member(cohort, learner)
    assignment = assign(
        course,
        timezone.localdate() - datetime.timedelta(days=3),
        force_x.organisation,
        force_x.trainer,
        cohort=cohort,
    )
    nudge = AssignmentNudge.objects.create(
        assignment=assignment, sent_by=force_x.trainer, sent_on=timezone.localdate()
    )
    mail.outbox.clear()
    assert nudges.send_nudge(nudge.pk) == 1
    (message,) = mail.outbox
    assert message.subject == "Mae eich hyfforddwr yn eich atgoffa: mae “Core course” yn hwyr"
    assert "I atal e-byst atgoffa" in message.body
    assert "/cy/reminders/stop/" in unsubscribe_link(message)


def test_nudges_go_a_batch_to_each_connection(force_x, course):
    cohort = force_x.cohort(learners=5)
    assignment = assign(
        course, timezone.localdate(), force_x.organisation, force_x.trainer, cohort=cohort
    )
    nudge = AssignmentNudge.objects.create(
        assignment=assignment, sent_by=force_x.trainer, sent_on=timezone.localdate()
    )
    opened = []

    def counted_connection():
        opened.append(get_connection())
        return opened[-1]

    mail.outbox.clear()
    with mock.patch.object(nudges, "get_connection", counted_connection):
        assert nudges.send_nudge(nudge.pk, batch_size=2) == 5
    assert len(opened) == 3 and len(mail.outbox) == 5


def test_trainers_cannot_nudge_another_organisations_learners(force_x, force_y, assigned_cohort):
    assignment = assigned_cohort.assignments.get()
    assert force_y.client.get(nudge_url(assignment)).status_code == 404
    assert force_y.client.post(nudge_url(assignment)).status_code == 404
    learner = Client()
    sign_in(learner, assigned_cohort.members.first().email)
    assert learner.post(nudge_url(assignment)).status_code == 403
    assert not AssignmentNudge.objects.exists()


# Turning reminders off ------------------------------------------------------------------


def due_soon_reminders(assigned_cohort):
    due = assigned_cohort.assignments.get().due_date
    mail.outbox.clear()
    return send_learner_reminders(today=due - datetime.timedelta(days=7))


def test_reminders_carry_a_link_and_headers_to_turn_them_off(assigned_cohort):
    assert due_soon_reminders(assigned_cohort) == 4
    message = mail.outbox[0]
    link = unsubscribe_link(message)
    assert message.extra_headers == {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert "To stop reminder emails, open this link" in message.body


def test_the_link_asks_first_then_turns_reminders_off_without_signing_in(assigned_cohort):
    due_soon_reminders(assigned_cohort)
    message = mail.outbox[0]
    link = unsubscribe_link(message).removeprefix("http://testserver")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(link)
    assert page.status_code == 200
    assert "Turn reminders off" in page.content.decode()
    learner = assigned_cohort.members.get(email=message.to[0])
    learner.refresh_from_db()
    assert learner.reminder_emails

    done = visitor.post(link)
    assert done.status_code == 200
    assert "Reminder emails are now off." in done.content.decode()
    learner.refresh_from_db()
    assert not learner.reminder_emails


def test_a_mail_programs_one_click_request_turns_reminders_off(assigned_cohort):
    learner = assigned_cohort.members.first()
    url = reverse("cohorts:unsubscribe", args=[unsubscribe_token(learner)])
    response = Client(enforce_csrf_checks=True).post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    learner.refresh_from_db()
    assert not learner.reminder_emails
    assert due_soon_reminders(assigned_cohort) == 3
    assert learner.email not in [message.to[0] for message in mail.outbox]


def test_a_broken_link_says_so_and_changes_nothing(assigned_cohort):
    learner = assigned_cohort.members.first()
    token = unsubscribe_token(learner)
    for broken in (token[:-3], "not-a-token", token + "x"):
        url = reverse("cohorts:unsubscribe", args=[broken])
        for response in (Client().get(url), Client().post(url)):
            assert response.status_code == 400
            assert "This link is not valid" in response.content.decode()
    learner.refresh_from_db()
    assert learner.reminder_emails


def test_learners_turn_reminders_off_in_their_account(
    force_x, course, assigned_cohort, django_capture_on_commit_callbacks
):
    learner = assigned_cohort.members.first()
    client = Client()
    sign_in(client, learner.email)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Send me reminder emails" in page
    client.post(
        reverse("accounts:profile"),
        {"display_name": learner.display_name, "preferred_language": "en"},
    )
    learner.refresh_from_db()
    assert not learner.reminder_emails

    # Reminders skip them; nudges too.
    assert due_soon_reminders(assigned_cohort) == 3
    assert learner.email not in [message.to[0] for message in mail.outbox]
    assignment = assigned_cohort.assignments.get()
    assert learner not in nudges.nudge_recipients(assignment)

    # A course assigned by their trainer is still announced, saying reminders are off.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assign(
            make_course("Second course", lessons=1),
            timezone.localdate() + datetime.timedelta(days=20),
            force_x.organisation,
            force_x.trainer,
            cohort=assigned_cohort,
        )
    (notice,) = [message for message in mail.outbox if message.to == [learner.email]]
    assert "You get this because your trainer assigned you a course; reminders are off." in (
        notice.body
    )
    others = [message for message in mail.outbox if message.to != [learner.email]]
    assert len(others) == 3
    assert all("reminders are off" not in message.body for message in others)

    client.post(
        reverse("accounts:profile"),
        {"display_name": learner.display_name, "preferred_language": "en", "reminder_emails": "on"},
    )
    learner.refresh_from_db()
    assert learner.reminder_emails


@pytest.mark.parametrize("learners", [2, 12])
def test_the_nudge_page_costs_the_same_queries_for_any_cohort(
    force_x, course, learners, production_cache
):
    cohort = force_x.cohort(learners=learners)
    assignment = assign(
        course, timezone.localdate(), force_x.organisation, force_x.trainer, cohort=cohort
    )
    assert queries_for(force_x.client, nudge_url(assignment)) == NUDGE_PAGE_QUERIES


def test_a_learners_calendar_file_costs_three_queries(assigned_cohort, production_cache):
    learner = assigned_cohort.members.first()
    client = Client()
    sign_in(client, learner.email)
    url = reverse("cohorts:assignment_calendar", args=[assigned_cohort.assignments.get().pk])
    assert queries_for(client, url) == CALENDAR_FILE_QUERIES
