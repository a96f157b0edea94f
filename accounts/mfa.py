"""Second factors: whether a user has one enrolled, and whether this session passed one."""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator

from core import cache_versions

SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
SECOND_FACTOR_SECONDS = 3600

# How allauth names a second-factor step in a session's authentication records.
MFA_METHOD = "mfa"


def authenticators_version(user_id):
    return f"authenticators:user:{user_id}"


def has_second_factor(user):
    """Whether the user has an authenticator: asked on every request to a staff area, so
    kept in the cache under a version that adding, using or removing an authenticator
    replaces (accounts.signals). It says nothing about the current session;
    see session_passed_second_factor."""
    return cache_versions.kept(
        f"second-factor:{user.pk}",
        [authenticators_version(user.pk)],
        Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists,
        SECOND_FACTOR_SECONDS,
    )


def session_passed_second_factor(request):
    """Whether this session, for its signed-in user, passed a second factor.

    Read from allauth's authentication records, which live in the session itself and
    belong to the user who made them: a session made any other way (a script, a test
    client's force_login, a future sign-in path) has none, whatever the user has set up.
    Never cached per user, since two sessions of one user can differ.
    """
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == MFA_METHOD for record in records)


def record_first_second_factor(request, user, authenticator):
    """Count a person's first authenticator, set up in this session, as the session's
    second factor: they have just typed a code from it (or used the key), after
    confirming their password. allauth records sign-ins and reauthentications with a
    second factor, not enrolments, so the record is written the way it writes its own.

    Adding another authenticator does not count: that needs only the password, and a
    session that has not passed the existing factor must not get round it so."""
    if authenticator is None or authenticator.type not in SECOND_FACTOR_TYPES:
        return
    if Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).count() != 1:
        return
    record_authentication(
        request, user, MFA_METHOD, id=authenticator.pk, type=authenticator.type, enrolled=True
    )
