"""Second factors: whether a user has one enrolled, and whether this session passed one."""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator

from core import cache_versions

SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
SECOND_FACTOR_SECONDS = 3600

# How allauth names a second-factor step in a session's authentication records.
MFA_METHOD = "mfa"
# The type of a record written for an organisation's identity provider that asserted its
# own multi-factor authentication, where the organisation trusts it (sso/).
PROVIDER_SECOND_FACTOR = "identity_provider"


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


def session_passed_provider_second_factor(request):
    """Whether this session's second factor was an identity provider's own multi-factor
    authentication (see record_provider_second_factor): such a session needs no
    authenticator at Recognise."""
    records = get_authentication_records(request, request.user)
    return any(
        record.get("method") == MFA_METHOD and record.get("type") == PROVIDER_SECOND_FACTOR
        for record in records
    )


def staff_passed_second_factor(request):
    """What staff areas ask: a second factor passed in this session, with an
    authenticator still set up, or the trusted provider's multi-factor authentication."""
    if session_passed_provider_second_factor(request):
        return True
    return has_second_factor(request.user) and session_passed_second_factor(request)


def record_provider_second_factor(request, user, provider):
    """Count the sign-in at an organisation's identity provider as this session's second
    factor: called only when the organisation trusts the provider's multi-factor
    authentication and the provider asserted it for this sign-in. Written the way allauth
    writes its own second-factor records."""
    record_authentication(request, user, MFA_METHOD, type=PROVIDER_SECOND_FACTOR, provider=provider)


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
