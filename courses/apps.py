from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Sectors, courses and lessons (content); the learner's progress is in learning."""

    name = "courses"
    verbose_name = _("Courses")
