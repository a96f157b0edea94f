from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """The learner's record: enrolment, lesson progress, attempts, completion and the
    figures kept for dashboards; and the learner's own views of it."""

    name = "learning"
    verbose_name = _("Learning")

    def ready(self):
        from core.page_cache import provide_variant_rule
        from core.page_context import provide_context

        from . import page_context, progress, receivers  # noqa: F401

        provide_context("courses.coursepage", page_context.course_context)
        provide_context("courses.lessonpage", page_context.lesson_context)
        provide_context("quizzes.assessmentpage", page_context.assessment_context)
        provide_variant_rule("courses.lessonpage", progress.lesson_state)
