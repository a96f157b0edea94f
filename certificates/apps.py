from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """Completion certificates: issuing, verification, expiry and refreshers."""

    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from . import signals  # noqa: F401  (connects issuing to course completion)
