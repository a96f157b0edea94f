from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    # This module also holds the Wagtail users config, so Django needs telling which
    # config is the app's own.
    default = True
    name = "recognise.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from . import signals, signing_out  # noqa: F401  (connect their signal receivers)


class RecogniseUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the display name in place of first and last names."""

    user_viewset = "recognise.accounts.viewsets.UserViewSet"
