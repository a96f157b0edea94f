"""Pages in the site's default language, which learners' records are kept against."""

from functools import cache

from django.conf import settings
from wagtail.models import Locale


@cache
def default_locale_id(language_code):
    # Locales are created by migrations and never change while the site runs.
    return Locale.get_default().pk


def original(page):
    """The default-language version of a page. Progress, attempts and certificates are
    recorded against it, so a learner who switches language keeps their progress."""
    default_id = default_locale_id(settings.LANGUAGE_CODE)
    if page.locale_id == default_id:
        return page
    return page.get_translation_or_none(Locale.objects.get(pk=default_id)) or page
