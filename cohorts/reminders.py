"""Assignment reminders to learners (7 days before and when overdue, each once) and a
weekly summary of overdue learners to trainers.

Learners who turned reminders off (User.reminder_emails) are skipped; each reminder
carries a link and headers to turn them off (cohorts.unsubscribing)."""

import datetime

from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.roles import TRAINER
from core.site_urls import absolute_url
from learning.rules import Status

from .dashboard import learner_rows
from .due_dates import due_date_for
from .email_text import COHORT_NAME_LIMIT, PERSON_NAME_LIMIT, quotable
from .models import Assignment, AssignmentReminder
from .unsubscribing import unsubscribe_headers, unsubscribe_url

DUE_SOON_DAYS = 7


def reminder_kind(due_date, today):
    if due_date < today:
        return AssignmentReminder.Kind.OVERDUE
    if due_date <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return AssignmentReminder.Kind.DUE_SOON
    return None


def send_learner_reminders(today=None):
    """Remind each learner as their own due date nears and once it has passed (a late
    joiner's date is later than their cohort's: cohorts.due_dates)."""
    today = today or timezone.localdate()
    sent = 0
    assignments = Assignment.objects.filter(
        due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
    ).select_related("course")
    for assignment in assignments:
        rows = (
            learner_rows(assignment, today)
            .exclude(status=Status.COMPLETED)
            .filter(reminder_emails=True)
        )
        already = set(
            AssignmentReminder.objects.filter(assignment=assignment).values_list("user_id", "kind")
        )
        for learner in rows.iterator():
            due_date = due_date_for(assignment, learner.joined_at)
            kind = reminder_kind(due_date, today)
            if kind is None or (learner.pk, kind) in already:
                continue
            try:
                with transaction.atomic():
                    AssignmentReminder.objects.create(
                        assignment=assignment, user=learner, kind=kind
                    )
                    remind_learner(learner, assignment, kind, due_date)
            except IntegrityError:
                continue
            sent += 1
    return sent


def remind_learner(learner, assignment, kind, due_date):
    with translation.override(learner.preferred_language):
        context = {
            "learner": learner,
            "assignment": assignment,
            "due_date": due_date,
            "overdue": kind == AssignmentReminder.Kind.OVERDUE,
            "course_url": absolute_url(assignment.course.url or reverse("learning:my_learning")),
            "unsubscribe_url": unsubscribe_url(learner),
        }
        subject = render_to_string("cohorts/email/assignment_subject.txt", context).strip()
        body = render_to_string("cohorts/email/assignment_body.txt", context)
    EmailMessage(
        subject,
        body,
        None,
        [learner.email],
        headers=unsubscribe_headers(context["unsubscribe_url"]),
    ).send()


def set_for(assignment):
    """Whom an assignment was set for, as a trainer summary quotes it: a cohort's name or
    a learner's, each typed by someone else and so cleaned (cohorts.email_text)."""
    if assignment.cohort_id:
        return quotable(assignment.cohort.name, COHORT_NAME_LIMIT)
    return quotable(assignment.user.display_name, PERSON_NAME_LIMIT)


def send_trainer_summaries(today=None):
    """Each trainer gets one email listing their organisations' overdue learners."""
    today = today or timezone.localdate()
    sent = 0
    trainers = User.objects.filter(groups__name=TRAINER, is_active=True).prefetch_related(
        "memberships"
    )
    for trainer in trainers:
        organisation_ids = [m.organisation_id for m in trainer.memberships.all()]
        overdue = []
        for assignment in Assignment.objects.filter(
            organisation_id__in=organisation_ids, due_date__lt=today
        ).select_related("course", "cohort", "user"):
            count = learner_rows(assignment, today).filter(status=Status.OVERDUE).count()
            if count:
                overdue.append((assignment, set_for(assignment), count))
        if not overdue:
            continue
        with translation.override(trainer.preferred_language):
            context = {
                "trainer": trainer,
                "overdue": overdue,
                "dashboard_url": absolute_url(reverse("cohorts:overview")),
            }
            subject = render_to_string("cohorts/email/trainer_summary_subject.txt", context).strip()
            body = render_to_string("cohorts/email/trainer_summary_body.txt", context)
        send_mail(subject, body, None, [trainer.email])
        sent += 1
    return sent
