"""A trainer's one-off nudge to an assignment's learners who have not started or are
overdue: once a day per assignment, sent in the background a batch at a time."""

import datetime

from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation

from learning.rules import Status

from .dashboard import learner_rows
from .email_text import one_line
from .models import AssignmentNudge
from .notices import CourseWords
from .unsubscribing import unsubscribe_headers, unsubscribe_url

BATCH_SIZE = 500
NUDGED_STATUSES = (Status.NOT_STARTED, Status.OVERDUE)


def nudge_recipients(assignment, today=None):
    """Learners not started or overdue who have not turned reminders off."""
    return (
        learner_rows(assignment, today)
        .filter(status__in=NUDGED_STATUSES, reminder_emails=True, is_active=True)
        .only("pk", "email", "display_name", "preferred_language")
        .order_by("pk")
    )


def nudged_today(assignment, today=None):
    today = today or timezone.localdate()
    return AssignmentNudge.objects.filter(assignment=assignment, sent_on=today).exists()


def next_nudge_day(today=None):
    return (today or timezone.localdate()) + datetime.timedelta(days=1)


def send_nudge(nudge_id, batch_size=BATCH_SIZE):
    """Email the nudge's learners, a batch to each mail connection. Returns how many."""
    nudge = (
        AssignmentNudge.objects.select_related("assignment__course", "assignment__organisation")
        .filter(pk=nudge_id)
        .first()
    )
    if nudge is None:
        return 0
    assignment = nudge.assignment
    recipients = nudge_recipients(assignment, nudge.sent_on)
    words = CourseWords(assignment.course)
    sent, last_pk = 0, 0
    while True:
        batch = list(recipients.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return sent
        connection = get_connection()
        connection.send_messages([nudge_message(assignment, row, words) for row in batch])
        sent += len(batch)
        last_pk = batch[-1].pk


def nudge_message(assignment, learner, words):
    with translation.override(learner.preferred_language):
        title, course_url = words(learner.preferred_language)
        url = unsubscribe_url(learner)
        context = {
            "learner": learner,
            "assignment": assignment,
            "organisation": one_line(assignment.organisation.name),
            "overdue": learner.status == Status.OVERDUE,
            "course": title,
            "course_url": course_url,
            "unsubscribe_url": url,
        }
        subject = render_to_string("cohorts/email/nudge_subject.txt", context)
        body = render_to_string("cohorts/email/nudge_body.txt", context)
    return EmailMessage(
        one_line(subject), body, None, [learner.email], headers=unsubscribe_headers(url)
    )
