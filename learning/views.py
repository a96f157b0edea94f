from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.page_context import provided_context
from core.page_routing import HiddenWithParentMixin, not_private, site_found
from courses.models import CoursePage, LessonPage

from .next_steps import with_courses_in_reading_language
from .progress import ProgressError, complete_lesson, enrol, learning_dashboard


def published_page(model, page_id):
    """A live page anyone may see; drafts, private pages and pages of unpublished
    courses are 404 to learners."""
    page = model.objects.live().filter(not_private()).filter(pk=page_id).first()
    if page is None or (isinstance(page, HiddenWithParentMixin) and not page.parent_is_live()):
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
    messages.success(
        request, _("You completed the lesson “%(lesson)s”.") % {"lesson": lesson.title}
    )
    following = lesson.get_next_siblings().live().filter(not_private()).first()
    return redirect(following.url if following else lesson.get_parent().url)


@login_required
@require_GET
@site_found
def my_learning(request):
    context = learning_dashboard(request.user)
    # Courses are named and linked in the language being read.
    with_courses_in_reading_language([*context["in_progress"], *context["completed"]])
    # Certificates and cohort assignments sit above the learner's record; their apps
    # add them (core.page_context).
    context.update(
        provided_context(
            "learning.my_learning",
            request,
            enrolments=[*context["in_progress"], *context["completed"]],
        )
    )
    return render(request, "learning/my_learning.html", context)
