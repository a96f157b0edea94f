"""Whether a user has a second factor enrolled."""

from allauth.mfa.models import Authenticator

from recognise import cache_versions

SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
SECOND_FACTOR_SECONDS = 3600


def authenticators_version(user_id):
    return f"authenticators:user:{user_id}"


def has_second_factor(user):
    """Asked on every request to a staff area, so kept in the cache under a version that
    adding, using or removing an authenticator replaces (recognise.accounts.signals)."""
    return cache_versions.kept(
        f"second-factor:{user.pk}",
        [authenticators_version(user.pk)],
        Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists,
        SECOND_FACTOR_SECONDS,
    )
