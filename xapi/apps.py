from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiConfig(AppConfig):
    """xAPI statements about learners' own progress, sent to their organisation's
    Learning Record Store when it has one."""

    name = "xapi"
    verbose_name = _("Learning Record Stores")

    def ready(self):
        from . import receivers  # noqa: F401
