from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "sso"
    label = "sso"
    verbose_name = _("Single sign-on")

    def ready(self):
        from . import receivers  # noqa: F401
