"""API tokens: making one, finding one from what a client sent, revoking one.

A token is "rcg_" and 32 random bytes in URL-safe base64. Only its SHA-256 is stored:
the bytes are random, so a slow password hash would add nothing, and a fast one lets
every request be checked with one indexed lookup.
"""

import datetime
import hashlib
import secrets

from django.utils import timezone

from audit.models import Action
from audit.records import record

from .models import ApiToken

TOKEN_START = "rcg_"  # noqa: S105 (a marker, not a secret)
# Shown beside the token's name so people can tell which key a tool holds.
PREFIX_LENGTH = len(TOKEN_START) + 8
# last_used_at is written at most this often, not on every request.
LAST_USED_GRANULARITY = datetime.timedelta(minutes=1)


def key_hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(organisation, name, created_by):
    """Make a token and return (token, key): the key is never available again."""
    key = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_hash=key_hash(key),
        created_by=created_by,
    )
    record(
        Action.API_TOKEN_CREATED,
        f"API token “{token.name}” ({token.prefix}…) created for {organisation.name}",
        actor=created_by,
        data={"token": token.pk, "organisation": organisation.pk},
    )
    return token, key


def revoke_token(token, revoked_by):
    """Stop the token working from the next request on."""
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.revoked_by = revoked_by
    token.save(update_fields=["revoked_at", "revoked_by"])
    record(
        Action.API_TOKEN_REVOKED,
        f"API token “{token.name}” ({token.prefix}…) revoked for {token.organisation.name}",
        actor=revoked_by,
        data={"token": token.pk, "organisation": token.organisation_id},
    )


def usable_token(key):
    """The unrevoked token with this key, with its organisation, or None."""
    if not key.startswith(TOKEN_START) or len(key) > 100:
        return None
    return (
        ApiToken.objects.usable().select_related("organisation").filter(key_hash=key_hash(key))
    ).first()


def note_use(token, request):
    """One audit event per request, and last_used_at kept to the minute."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    record(
        Action.API_TOKEN_USED,
        f"{request.method} {request.path[:200]}",
        actor=None,
        actor_label=f"API token “{token.name}” ({token.prefix}…) of {token.organisation.name}",
        request=request,
        data={"token": token.pk, "organisation": token.organisation_id},
        one_query=True,
    )
