"""The reader's own state on course, lesson and assessment pages, added to those pages'
context when this app starts (core.page_context), since content does not import the
learner's record."""

from core.page_cache import remember_variant

from .adjustments import time_limit_for
from .attempts import assessment_overview
from .next_steps import after_completing, each_in_reading_language
from .progress import PREREQUISITE_FIELDS, course_overview, lesson_overview


def course_context(request, page):
    context = course_overview(page, request.user, preview=getattr(request, "is_preview", False))
    # The courses to take first, named and linked in the language being read.
    shown = {
        course.pk: translated
        for course, translated in zip(
            context["prerequisites"],
            each_in_reading_language(context["prerequisites"], PREREQUISITE_FIELDS),
            strict=True,
        )
    }
    for name in ("prerequisites", "missing_prerequisites"):
        context[name] = [shown[course.pk] for course in context[name]]
    enrolment = context["enrolment"]
    if enrolment and enrolment.is_complete:
        context.update(after_completing(request.user, page))
    return context


def lesson_context(request, page):
    context = lesson_overview(page, request.user)
    if request.user.is_authenticated and not getattr(request, "is_preview", False):
        # Readers differ only by where they stand on the lesson (and their menu).
        remember_variant(request, page, context["lesson_facts"], context["lesson_state"])
    return context


def assessment_context(request, page):
    context = assessment_overview(page, request.user)
    # The limit this reader would start under, with their adjustment, if any.
    context["your_time_limit"] = (
        time_limit_for(request.user, page) if request.user.is_authenticated else None
    )
    return context
