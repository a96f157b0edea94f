"""The site search: courses, lessons and guidance together, in the reader's language.

Each result says what it is (course, lesson or guidance), which course a lesson belongs
to, and its summary. A page with a translation in the reader's language is found in that
language only; a page with none is found in English and marked so. People looking for
the certificate check ("check a certificate", "verify") are pointed straight to it.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

from core.page_languages import in_reader_language
from core.page_routing import not_private
from core.rate_limits import rate_limit
from core.search_terms import search_terms
from courses.models import CoursePage, LessonPage
from guidance.models import GuidancePage

SEARCH_RESULTS_PER_PAGE = 10

# Words that mean the searcher wants to check a certificate, in both languages.
CERTIFICATE_CHECK_WORDS = {
    "certificate", "certificates", "verify", "verification", "check", "checking",
    "tystysgrif", "tystysgrifau", "gwirio", "dilysu",
}  # fmt: skip

RESULT_KINDS = {
    CoursePage: _("Course"),
    LessonPage: _("Lesson"),
    GuidancePage: _("Guidance"),
}


def searchable_pages(locale):
    pages = Page.objects.live().filter(not_private()).type(CoursePage, LessonPage, GuidancePage)
    # A lesson published under an unpublished course stays hidden with its course.
    for path in CoursePage.objects.not_live().values_list("path", flat=True):
        pages = pages.exclude(path__startswith=path)
    return in_reader_language(pages, locale)


def with_context(results, locale):
    """The page's specific fields, its kind and, for a lesson, its course: a fixed
    number of queries for the ten results on a page."""
    ids = [result.pk for result in results]
    pages = Page.objects.filter(pk__in=ids).specific().in_bulk()
    parent_paths = {
        pages[pk].path[: -Page.steplen] for pk in ids if isinstance(pages.get(pk), LessonPage)
    }
    courses = {
        course.path: course
        for course in CoursePage.objects.filter(path__in=parent_paths).select_related("locale")
    }
    written_in = settings.LANGUAGE_CODE
    described = []
    for pk in ids:
        page = pages.get(pk)
        if page is None:
            continue
        kind = next(label for model, label in RESULT_KINDS.items() if isinstance(page, model))
        described.append(
            {
                "page": page,
                "kind": kind,
                "course": courses.get(page.path[: -Page.steplen])
                if isinstance(page, LessonPage)
                else None,
                "summary": getattr(page, "summary", ""),
                # Found in the language it was written in: marked so, and given its
                # language for screen readers.
                "other_language": written_in if page.locale_id != locale.pk else "",
            }
        )
    return described


def wants_certificate_check(query):
    return bool(CERTIFICATE_CHECK_WORDS & set(query.lower().split()))


@require_GET
@rate_limit("search")
def search(request):
    query = search_terms(request.GET.get("q", ""))
    locale = Locale.get_active()
    results = Page.objects.none()
    if query:
        results = searchable_pages(locale).search(query, operator="and")
    page = Paginator(results, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "home/search.html",
        {
            "query": query,
            "results": page,
            "described_results": with_context(page.object_list, locale) if query else [],
            "certificate_check": bool(query) and wants_certificate_check(query),
            "query_string": urlencode({"q": query}) + "&",
        },
    )
