from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from .invitations import accept_email_invitations


@receiver(email_confirmed, dispatch_uid="cohorts.accept_invitations")
def join_invited_cohorts(request, email_address, **kwargs):
    accept_email_invitations(email_address.user, email_address.email)
