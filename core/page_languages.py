"""Pages in the site's default language, which learners' records are kept against, and
pages in the reader's language: each page once, translated where it has been."""

from functools import cache

from django.conf import settings
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page


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


def is_default(locale):
    return locale.pk == default_locale_id(settings.LANGUAGE_CODE)


def shown_in(locale_id):
    """Which pages a reader of this language sees, as a filter: each page once, its
    published translation in their language where there is one, otherwise the page in
    the language it was written in."""
    default_id = default_locale_id(settings.LANGUAGE_CODE)
    if locale_id == default_id:
        return Q(locale_id=default_id)
    translated = Page.objects.live().filter(locale_id=locale_id).values("translation_key")
    return Q(locale_id=locale_id) | (Q(locale_id=default_id) & ~Q(translation_key__in=translated))


def in_reader_language(pages, locale):
    """These pages as a reader of the locale's language sees them (shown_in)."""
    return pages.filter(shown_in(locale.pk))


def mark_other_language(pages, locale):
    """Mark pages shown in a language other than the reader's (`other_language`: the
    language they were written in, for a lang attribute and an "English only" tag)."""
    for page in pages:
        page.other_language = settings.LANGUAGE_CODE if page.locale_id != locale.pk else ""
    return pages


def with_reader_title(pages):
    """Default-language pages, each with `reader_title`: its title in the active
    language where it has been translated (a trainer's list of courses), in the same
    query."""
    language = get_supported_content_language_variant(get_language())
    translated = Page.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=language
    )
    return pages.annotate(
        reader_title=Coalesce(Subquery(translated.values("title")[:1]), F("title"))
    )


def reader_title(page):
    """A choice field's label for a page from with_reader_title()."""
    return page.reader_title
