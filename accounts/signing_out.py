"""Signing out everywhere: on sign-out, and when an account is deactivated.

allauth.usersessions records each signed-in session against its user, so every session of
one user can be found and ended without reading anyone else's. (A password change needs
nothing here: Django already refuses every other session signed with the old password.)
"""

from allauth.usersessions.models import UserSession


def end_all_sessions(user_id):
    for session in UserSession.objects.filter(user_id=user_id).iterator():
        session.end()
