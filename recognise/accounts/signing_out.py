"""Signing out everywhere: on sign-out, and when an account is deactivated.

allauth.usersessions records each signed-in session against its user, so every session of
one user can be found and ended without reading anyone else's. (A password change needs
nothing here: Django already refuses every other session signed with the old password.)
"""

from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver


def end_all_sessions(user_id):
    for session in UserSession.objects.filter(user_id=user_id).iterator():
        session.end()


@receiver(user_logged_out, dispatch_uid="recognise-sign-out-everywhere")
def sign_out_everywhere(sender, request, user, **kwargs):
    """A practitioner who signs out on a shared computer is signed out on every device."""
    if user is not None:
        end_all_sessions(user.pk)


@receiver(post_save, sender=get_user_model(), dispatch_uid="recognise-end-deactivated-sessions")
def end_sessions_of_deactivated_user(sender, instance, **kwargs):
    if not instance.is_active:
        end_all_sessions(instance.pk)
