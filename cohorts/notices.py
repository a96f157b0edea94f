"""Telling learners a trainer assigned them a course: an email in their language with the
due date, a link and a calendar file, sent once to each learner of the assignment.

Learners are taken a batch at a time, each batch over one mail connection. A batch's
notices are recorded in the same transaction as its sending, so a run that stops part way
is simply run again: whoever already has a notice is skipped.
"""

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.site_urls import absolute_url

from .calendar_files import assignment_calendar, calendar_filename, course_link
from .dashboard import assignment_learners
from .due_dates import due_date_for
from .email_text import PERSON_NAME_LIMIT, one_line, quotable
from .models import Assignment, AssignmentNotice

BATCH_SIZE = 500
# Another run recording the same learners at the same moment makes a batch fail; it is
# taken again without them, but never endlessly.
MOST_RETRIES = 3


def notice_learners(assignment, user_ids=None):
    """Active learners of the assignment who have not had its notice yet."""
    learners = (
        assignment_learners(assignment)
        .filter(is_active=True)
        .exclude(pk__in=AssignmentNotice.objects.filter(assignment=assignment).values("user"))
        .only("pk", "email", "display_name", "preferred_language", "reminder_emails")
    )
    if user_ids is not None:
        learners = learners.filter(pk__in=user_ids)
    return learners.order_by("pk")


class CourseWords:
    """The course's title and link in each learner language, worked out once a run."""

    def __init__(self, course):
        self.course = course
        self.by_language = {}

    def __call__(self, language):
        if language not in self.by_language:
            with translation.override(language):
                localized = self.course.localized
                self.by_language[language] = (localized.title, course_link(self.course))
        return self.by_language[language]


def send_assignment_notices(assignment_id, user_ids=None, batch_size=BATCH_SIZE):
    """Send the assignment's notice to each of its learners (or the given ones) who has
    not had it. Returns how many were sent."""
    assignment = (
        Assignment.objects.select_related("course", "organisation", "assigned_by")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        return 0
    words = CourseWords(assignment.course)
    sent, retries = 0, 0
    while True:
        batch = list(notice_learners(assignment, user_ids)[:batch_size])
        if not batch:
            return sent
        try:
            with transaction.atomic():
                AssignmentNotice.objects.bulk_create(
                    [AssignmentNotice(assignment=assignment, user=learner) for learner in batch]
                )
                messages = [notice_message(assignment, learner, words) for learner in batch]
                connection = get_connection()
                connection.send_messages(messages)
        except IntegrityError:
            retries += 1
            if retries > MOST_RETRIES:
                raise
            continue
        sent += len(batch)


def notice_message(assignment, learner, words):
    due_date = due_date_for(assignment, learner.joined_at)
    with translation.override(learner.preferred_language):
        title, course_url = words(learner.preferred_language)
        trainer = assignment.assigned_by
        context = {
            "learner": learner,
            "course": title,
            "due_date": due_date,
            "course_url": course_url,
            "organisation": one_line(assignment.organisation.name),
            "trainer": quotable(str(trainer), PERSON_NAME_LIMIT) if trainer else "",
            "my_learning_url": absolute_url(reverse("learning:my_learning")),
            "reminders_off": not learner.reminder_emails,
        }
        subject = render_to_string("cohorts/email/notice_subject.txt", context)
        body = render_to_string("cohorts/email/notice_body.txt", context)
    message = EmailMessage(one_line(subject), body, None, [learner.email])
    message.attach(
        calendar_filename(assignment, due_date),
        assignment_calendar(
            assignment, learner, due_date, course_url=course_url, course_title=title
        ),
        "text/calendar",
    )
    return message
