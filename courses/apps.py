from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Sectors, courses, lessons, enrolment and progress."""

    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from .progress_summary import connect_signals

        connect_signals()
