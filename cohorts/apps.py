from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    """Trainers' work: cohorts of learners, assigned courses with due dates, dashboards."""

    name = "cohorts"
    verbose_name = _("Cohorts and assignments")

    def ready(self):
        from . import signals  # noqa: F401  (joins invited learners once their email is confirmed)
