from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    """Guidance written by NGOs and partners, published after safeguarding review."""

    name = "guidance"
    verbose_name = _("Guidance")

    def ready(self):
        from core.page_context import provide_context

        from . import models

        provide_context("courses.sectorpage", models.sector_guidance)
