"""Authentication backends that keep each signed-in user's row in the cache.

Every signed-in request loads its user (Django's auth middleware asks the session's
backend); a download or an answer post did little more than that. The row is kept, with
the user's group names, under versions that saving or deleting the user, or changing
their groups, replaces (accounts.signals), so a deactivation, a password
change (which also ends the user's other sessions, through Django's session hash, as
before), a new name or a role given or taken away is seen on the very next request.
Changes made straight in the database are seen when the kept row runs out.

The password hash is not kept: the cache is shared by every app server and is easier to
reach than the database, and a hash can be cracked offline. The kept user carries its
session hash instead (an HMAC of the password hash under SECRET_KEY), which is all that
Django's check of the session needs; it cannot be turned back into the hash, and without
the hash's salt it is no use for guessing the password. Reading the kept user's
password (check_password does, when the password is changed, an account deleted or a
sign-in confirmed again) loads it from the database.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import backends

from core import cache_versions

from .roles import group_names, group_versions, roles_for

KEPT_USER_SECONDS = 3600


def kept_user_key(user_id):
    # Named apart from the copies kept before, which held the password hash: those are
    # never read, and expire within KEPT_USER_SECONDS.
    return f"signed-in-user:{user_id}"


def user_version(user_id):
    return f"user:{user_id}"


class KeptUserMixin:
    def get_user(self, user_id):
        # The user's group names (their roles), which every signed-in request needs too,
        # are kept with the row, so that both cost one cache round trip.
        user, session_auth_hash, names = cache_versions.kept(
            kept_user_key(user_id),
            [user_version(user_id), *group_versions(user_id)],
            lambda: self.load_user(user_id),
            KEPT_USER_SECONDS,
        )
        # Checked on every request, not only when the row is loaded.
        if user is None or not self.user_can_authenticate(user):
            return None
        user.kept_session_auth_hash = session_auth_hash
        roles_for(user).names = names
        return user

    def load_user(self, user_id):
        try:
            user = backends.UserModel._default_manager.get(pk=user_id)
        except backends.UserModel.DoesNotExist:
            return None, None, frozenset()
        session_auth_hash = user.get_session_auth_hash()
        # Left unloaded, as if deferred: reading it queries the database.
        del user.__dict__["password"]
        return user, session_auth_hash, group_names(user)


class ModelBackend(KeptUserMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(KeptUserMixin, AllauthBackend):
    pass
