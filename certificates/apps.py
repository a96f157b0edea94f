from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """Completion certificates: issuing, verification, expiry and refreshers."""

    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from core.page_context import provide_context

        from . import history, receivers  # noqa: F401

        provide_context("learning.my_learning", history.my_certificates)
        provide_context("courses.coursepage", history.course_certificate)
        provide_context("learning.result", history.course_certificate)
