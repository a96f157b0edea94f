"""Whether a user has a second factor enrolled."""

from allauth.mfa.models import Authenticator

SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def has_second_factor(user):
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists()
