"""Pages in the site's default language, which learners' records are kept against, and
pages in the reader's language: each page once, translated where it has been."""

from functools import cache

from django.conf import settings
from django.db.models import Q
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


def in_reader_language(pages, locale):
    """Each page once: in the reader's language where it has been translated, otherwise
    in the language it was written in."""
    default = default_locale_id(settings.LANGUAGE_CODE)
    if locale.pk == default:
        return pages.filter(locale=locale)
    translated = Page.objects.filter(locale=locale).values("translation_key")
    return pages.filter(
        Q(locale=locale) | (Q(locale_id=default) & ~Q(translation_key__in=translated))
    )


def mark_other_language(pages, locale):
    """Mark pages shown in a language other than the reader's (`other_language`: the
    language they were written in, for a lang attribute and an "English only" tag)."""
    for page in pages:
        page.other_language = settings.LANGUAGE_CODE if page.locale_id != locale.pk else ""
    return pages


def titles_in(locale, pages):
    """Each page's title in the locale where it has been translated, by page id: one
    query for a list of default-language pages (a trainer's list of courses)."""
    pages = list(pages)
    translated = dict(
        Page.objects.filter(
            locale=locale, translation_key__in=[page.translation_key for page in pages]
        ).values_list("translation_key", "title")
    )
    return {page.pk: translated.get(page.translation_key, page.title) for page in pages}


class TitlesInReaderLanguage:
    """A choice field's label_from_instance for default-language pages: each labelled
    with its title in the active language, looked up once, when first shown."""

    def __init__(self, pages):
        self.pages = pages
        self.titles = None

    def __call__(self, page):
        if self.titles is None:
            self.titles = titles_in(Locale.get_active(), self.pages)
        return self.titles.get(page.pk, page.title)
