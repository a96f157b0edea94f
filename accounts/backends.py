"""Authentication backends that keep each signed-in user's row in the cache.

Every signed-in request loads its user (Django's auth middleware asks the session's
backend); a download or an answer post did little more than that. The row is kept, with
the user's group names, under versions that saving or deleting the user, or changing
their groups, replaces (accounts.signals), so a deactivation, a password
change (which also ends the user's other sessions, through Django's session hash, as
before), a new name or a role given or taken away is seen on the very next request.
Changes made straight in the database are seen when the kept row runs out.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import backends

from core import cache_versions

from .roles import group_names, group_versions, roles_for

KEPT_USER_SECONDS = 3600


def user_version(user_id):
    return f"user:{user_id}"


class KeptUserMixin:
    def get_user(self, user_id):
        # The user's group names (their roles), which every signed-in request needs too,
        # are kept with the row, so that both cost one cache round trip.
        user, names = cache_versions.kept(
            f"user:{user_id}",
            [user_version(user_id), *group_versions(user_id)],
            lambda: self.load_user(user_id),
            KEPT_USER_SECONDS,
        )
        # Checked on every request, not only when the row is loaded.
        if user is None or not self.user_can_authenticate(user):
            return None
        roles_for(user).names = names
        return user

    def load_user(self, user_id):
        try:
            user = backends.UserModel._default_manager.get(pk=user_id)
        except backends.UserModel.DoesNotExist:
            return None, frozenset()
        return user, group_names(user)


class ModelBackend(KeptUserMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(KeptUserMixin, AllauthBackend):
    pass
