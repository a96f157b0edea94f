"""The site search: courses, lessons and guidance together."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Page

from core.page_routing import not_private
from core.rate_limits import rate_limit
from core.search_terms import search_terms
from courses.models import CoursePage, LessonPage
from guidance.models import GuidancePage

SEARCH_RESULTS_PER_PAGE = 10


@require_GET
@rate_limit("search")
def search(request):
    query = search_terms(request.GET.get("q", ""))
    results = Page.objects.none()
    if query:
        searchable = (
            Page.objects.live().filter(not_private()).type(CoursePage, LessonPage, GuidancePage)
        )
        # A lesson published under an unpublished course stays hidden with its course.
        for path in CoursePage.objects.not_live().values_list("path", flat=True):
            searchable = searchable.exclude(path__startswith=path)
        results = searchable.search(query, operator="and")
    page = Paginator(results, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "home/search.html",
        {"query": query, "results": page, "query_string": urlencode({"q": query}) + "&"},
    )
