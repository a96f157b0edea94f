from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    """Trainers' work: cohorts of learners, assigned courses with due dates, dashboards."""

    name = "cohorts"
    verbose_name = _("Cohorts and assignments")

    def ready(self):
        from core.page_context import provide_context

        from . import assigning, receivers  # noqa: F401

        provide_context("learning.my_learning", assigning.my_assignments)
