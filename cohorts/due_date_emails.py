"""Telling learners that a due date moved or an assignment was cancelled.

The learners are split into batches when the change is saved; each batch is one
background task that sends its emails through one mail connection, each in the
learner's own language. A batch that fails part way is tried again later for the
learners it had not reached.
"""

import datetime
import smtplib

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from accounts.models import User
from core.retries import retry_later
from core.site_urls import absolute_url
from courses.models import CoursePage

from .notices import CourseWords

EMAIL_BATCH = 100


def queue_due_date_emails(learner_ids, course_id, previous, due_date):
    """Once the change is saved, queue one task per batch of learners. due_date None
    means the assignment was cancelled."""
    previous = previous.isoformat()
    due = due_date.isoformat() if due_date else None
    batches = [
        learner_ids[start : start + EMAIL_BATCH]
        for start in range(0, len(learner_ids), EMAIL_BATCH)
    ]

    def enqueue():
        for batch in batches:
            send_due_date_emails.enqueue(batch, course_id, previous, due)

    transaction.on_commit(enqueue)


def email_for(learner, words, previous, due_date):
    """words: the course's title and link in each language (notices.CourseWords)."""
    with translation.override(learner.preferred_language):
        title, course_url = words(learner.preferred_language)
        context = {
            "learner": learner,
            "course_title": title,
            "previous": previous,
            "due_date": due_date,
            "course_url": course_url or absolute_url(reverse("learning:my_learning")),
        }
        kind = "due_date_changed" if due_date else "assignment_cancelled"
        subject = render_to_string(f"cohorts/email/{kind}_subject.txt", context).strip()
        body = render_to_string(f"cohorts/email/{kind}_body.txt", context)
    return EmailMessage(" ".join(subject.split()), body, None, [learner.email])


@task()
def send_due_date_emails(learner_ids, course_id, previous, due_date, attempt=1):
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return 0
    previous = datetime.date.fromisoformat(previous)
    due = datetime.date.fromisoformat(due_date) if due_date else None
    learners = User.objects.filter(pk__in=learner_ids, is_active=True).only(
        "pk", "email", "display_name", "preferred_language"
    )
    words = CourseWords(course)
    messages = [(learner.pk, email_for(learner, words, previous, due)) for learner in learners]
    sent = []
    try:
        with get_connection() as connection:
            for learner_id, message in messages:
                connection.send_messages([message])
                sent.append(learner_id)
    except (OSError, smtplib.SMTPException) as error:
        rest = [learner_id for learner_id, _message in messages if learner_id not in sent]
        retry_later(
            send_due_date_emails,
            rest,
            course_id,
            previous.isoformat(),
            due_date,
            attempt=attempt,
            error=error,
        )
    return len(sent)
