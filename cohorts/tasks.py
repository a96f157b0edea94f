"""Work the worker does for cohorts: invitation emails, assignment notices, reminders and
trainers' nudges."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from audit.models import Action
from audit.records import SYSTEM, record
from core.site_urls import absolute_url

from . import notices, nudges, reminders
from .email_text import COHORT_NAME_LIMIT, PERSON_NAME_LIMIT, one_line, quotable
from .models import EmailInvitation


@task()
def send_invitation_email(invitation_id):
    invitation = (
        EmailInvitation.objects.select_related("cohort__organisation")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is not None and invitation.accepted_at is None:
        invitation_email(invitation)


def invitation_email(invitation):
    """The invitation, in words of the platform's that name the organisation and the
    trainer; the cohort's name is quoted as theirs (cohorts.email_text)."""
    cohort, trainer = invitation.cohort, invitation.invited_by
    context = {
        "organisation": one_line(cohort.organisation.name),
        "trainer": quotable(str(trainer), PERSON_NAME_LIMIT) if trainer else "",
        "cohort_name": quotable(cohort.name, COHORT_NAME_LIMIT),
        "signup_url": absolute_url(reverse("account_signup")),
        "email": invitation.email,
    }
    subject = render_to_string("cohorts/email/invitation_subject.txt", context)
    body = render_to_string("cohorts/email/invitation_body.txt", context)
    send_mail(one_line(subject), body, None, [invitation.email])
    record(
        Action.INVITATION_SENT,
        f"Invitation to cohort “{invitation.cohort.name}” emailed to {invitation.email}",
        # Sent by the background worker on the inviter's behalf.
        actor=None,
        actor_label=SYSTEM,
        data={"cohort_id": invitation.cohort_id, "invitation_id": invitation.pk},
    )


@task()
def send_assignment_reminders():
    """Daily."""
    return reminders.send_learner_reminders()


@task()
def send_trainer_summaries():
    """Weekly."""
    return reminders.send_trainer_summaries()


@task()
def send_assignment_notices(assignment_id, user_ids=None):
    """Tell the assignment's learners (or only the given ones) it was set; safe to run
    again, as each learner is told once."""
    return notices.send_assignment_notices(assignment_id, user_ids)


@task()
def send_nudge(nudge_id):
    return nudges.send_nudge(nudge_id)
