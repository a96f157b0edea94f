"""Copies of a certificate's public record kept in the page cache, and forgetting them."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from core.page_cache import KEY_FORMAT, digest

from .models import normalise_code


def verification_key(code, language):
    """A certificate's public record; it changes when revoked, and at midnight when it
    expires, so the key carries the date."""
    return f"verify:{KEY_FORMAT}:{digest(language, timezone.localdate().isoformat(), code)}"


def verification_key_for_request(request, code):
    return verification_key(normalise_code(code), get_language())


def forget_verification(code):
    def delete():
        cache.delete_many([verification_key(code, language) for language, _ in settings.LANGUAGES])

    delete()
    transaction.on_commit(delete)
