"""The tool's own signing key: made the first time it is needed, kept in django-lti's
Key table (the private half is never shown), published as a JWKS."""

from django.db import transaction
from lti_tool.models import Key


def signing_key():
    """The newest active key, made now if there is none."""
    key = Key.objects.active().order_by("-datetime_created", "-pk").first()
    if key is None:
        with transaction.atomic():
            key = Key.objects.generate()
    return key


def key_id(key):
    return key.as_jwk()["kid"]


def public_key_set():
    signing_key()
    return Key.objects.as_jwks()
