from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    # This module also holds the Wagtail users config, so Django needs telling which
    # config is the app's own.
    default = True
    name = "accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from . import receivers  # noqa: F401


class RecogniseUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the display name in place of first and last names."""

    user_viewset = "accounts.viewsets.UserViewSet"
