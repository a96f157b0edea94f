"""Authentication backends that keep each signed-in user's row in the cache.

Every signed-in request loads its user (Django's auth middleware asks the session's
backend); a download or an answer post did little more than that. The row is kept
under a version that saving or deleting the user replaces (recognise.accounts.signals),
so a deactivation, a password change (which also ends the user's other sessions, through
Django's session hash, as before) or a new name is seen on the very next request.
Changes made straight in the database are seen when the kept row runs out.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import backends

from recognise import cache_versions

KEPT_USER_SECONDS = 3600


def user_version(user_id):
    return f"user:{user_id}"


class KeptUserMixin:
    def get_user(self, user_id):
        user = cache_versions.kept(
            f"user:{user_id}",
            [user_version(user_id)],
            lambda: self.load_user(user_id),
            KEPT_USER_SECONDS,
        )
        # Checked on every request, not only when the row is loaded.
        return user if user is not None and self.user_can_authenticate(user) else None

    def load_user(self, user_id):
        try:
            return backends.UserModel._default_manager.get(pk=user_id)
        except backends.UserModel.DoesNotExist:
            return None


class ModelBackend(KeptUserMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(KeptUserMixin, AllauthBackend):
    pass
