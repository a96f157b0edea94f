from django_tasks import task

from .models import EmailInvitation


@task()
def send_invitation_email(invitation_id):
    from .invitations import invitation_email

    invitation = (
        EmailInvitation.objects.select_related("cohort__organisation")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is not None and invitation.accepted_at is None:
        invitation_email(invitation)


@task()
def send_assignment_reminders():
    """Daily."""
    from .reminders import send_learner_reminders

    return send_learner_reminders()


@task()
def send_trainer_summaries():
    """Weekly."""
    from .reminders import send_trainer_summaries as send

    return send()
