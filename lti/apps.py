from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    """Recognise as an LTI 1.3 tool: virtual learning environments (Moodle, Totara,
    Canvas) launch its courses, and completions go back to their gradebooks."""

    name = "lti"
    verbose_name = _("LTI platforms")

    def ready(self):
        from core.page_context import provide_context

        from . import receivers  # noqa: F401
        from .roster_views import roster_link

        provide_context("cohorts.members", roster_link)
