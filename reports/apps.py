from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reporting across a whole organisation: the training manager's compliance view and
    its exports, and the read-only reporting API for HR and business-intelligence tools."""

    name = "reports"
    verbose_name = _("Organisation reports")
