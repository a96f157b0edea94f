from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from core.page_routing import not_private
from core.rate_limits import rate_limit
from core.search_terms import search_terms
from guidance.models import GuidancePage

from .models import CoursePage, LessonPage
from .models.pages import CourseChildPage
from .progress import ProgressError, complete_lesson, enrol, learning_dashboard

SEARCH_RESULTS_PER_PAGE = 10


def published_page(model, page_id):
    """A live page anyone may see; drafts, private pages and pages of unpublished
    courses are 404 to learners."""
    page = model.objects.live().filter(not_private()).filter(pk=page_id).first()
    if page is None or (isinstance(page, CourseChildPage) and not page.course_is_live()):
        raise Http404
    return page


@login_required
@require_POST
def enrol_in_course(request, course_id):
    course = published_page(CoursePage, course_id)
    try:
        enrol(request.user, course)  # recorded against the original-language course
    except ProgressError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("You are enrolled in “%(course)s”.") % {"course": course.title})
    return redirect(course.url)


@login_required
@require_POST
def mark_lesson_complete(request, lesson_id):
    lesson = published_page(LessonPage, lesson_id)
    try:
        complete_lesson(request.user, lesson)
    except ProgressError as refusal:
        messages.error(request, str(refusal))
        return redirect(lesson.get_parent().url)
    following = lesson.get_next_siblings().live().filter(not_private()).first()
    return redirect(following.url if following else lesson.get_parent().url)


@login_required
@require_GET
def my_learning(request):
    from cohorts.assigning import assignments_for_learner

    context = learning_dashboard(request.user)
    context["assignments"] = assignments_for_learner(request.user)
    return render(request, "courses/my_learning.html", context)


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
        "courses/search.html",
        {"query": query, "results": page, "query_string": urlencode({"q": query}) + "&"},
    )
