"""Organisations' single sign-on in the Wagtail admin, under Settings: administrators
(superusers) only. One form sets up both the identity provider (an allauth SocialApp:
client id, secret, server address) and what it may do for the organisation. The secret
is write-only: the form never shows it back."""

from allauth.socialaccount.models import SocialApp
from django import forms
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from core.site_urls import absolute_url

from .models import OrganisationSignIn

OPENID_CONNECT = "openid_connect"


def callback_url(app):
    """The address the provider sends people back to, to register with the provider."""
    provider = app.get_provider(None)
    return absolute_url(provider.get_callback_url())


class OrganisationSignInForm(forms.ModelForm):
    name = forms.CharField(
        label=_("Name people see"),
        max_length=40,
        help_text=_("For example: Northshire Police account."),
    )
    provider_id = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=60,
        help_text=_(
            "Lowercase letters, digits and hyphens, for example northshire-police. It "
            "becomes part of the callback URL, so changing it later means changing the "
            "registration at the provider too."
        ),
    )
    server_url = forms.URLField(
        label=_("Issuer (server) URL"),
        assume_scheme="https",
        help_text=_(
            "The provider's issuer address, where /.well-known/openid-configuration is "
            "found. For Microsoft Entra ID: https://login.microsoftonline.com/<tenant "
            "id>/v2.0"
        ),
    )
    client_id = forms.CharField(
        label=_("Client ID"),
        max_length=191,
        help_text=_("For Microsoft Entra ID: the Application (client) ID."),
    )
    secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=False,
        max_length=191,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown again once saved. Leave empty to keep the secret already saved."),
    )

    class Meta:
        model = OrganisationSignIn
        fields = [
            "organisation",
            "email_domains",
            "required_for_members",
            "trust_provider_mfa",
            "trusted_acr_values",
        ]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(
            ["organisation", "name", "provider_id", "server_url", "client_id", "secret"]
        )
        app = self.instance.app if self.instance.app_id else None
        self.saved_secret = app.secret if app else ""
        if app is None:
            self.fields["secret"].help_text = _("Never shown again once saved.")
            example = reverse(
                "openid_connect_callback", kwargs={"provider_id": "short-name"}
            ).replace("short-name", "<short name>")
            self.fields["provider_id"].help_text = format_lazy(
                "{} {}",
                self.fields["provider_id"].help_text,
                _("The callback URL to register will be %(url)s") % {"url": absolute_url(example)},
            )
        else:
            self.initial.update(
                name=app.name,
                provider_id=app.provider_id,
                server_url=app.settings.get("server_url", ""),
                client_id=app.client_id,
            )
            self.fields["provider_id"].help_text = _(
                "Callback (redirect) URL to register at the provider: %(url)s"
            ) % {"url": callback_url(app)}

    def clean_provider_id(self):
        provider_id = self.cleaned_data["provider_id"]
        others = SocialApp.objects.filter(provider_id=provider_id)
        if self.instance.app_id:
            others = others.exclude(pk=self.instance.app_id)
        if others.exists():
            raise forms.ValidationError(_("Another sign-in already has this short name."))
        return provider_id

    def clean_server_url(self):
        url = self.cleaned_data["server_url"]
        # People's names and addresses come back from it, and it vouches for who they
        # are: https only, except on a developer's machine.
        if not url.startswith("https://") and not settings.DEBUG:
            raise forms.ValidationError(_("Enter an https:// address."))
        return url

    def clean_secret(self):
        secret = self.cleaned_data.get("secret") or ""
        if not secret and not self.saved_secret:
            raise forms.ValidationError(_("Enter the client secret the provider gave you."))
        return secret or self.saved_secret

    @transaction.atomic
    def save(self, commit=True):
        sign_in = self.instance
        app = sign_in.app if sign_in.app_id else SocialApp(provider=OPENID_CONNECT)
        app.name = self.cleaned_data["name"]
        app.provider_id = self.cleaned_data["provider_id"]
        app.client_id = self.cleaned_data["client_id"]
        app.secret = self.cleaned_data["secret"]
        app.settings = {**app.settings, "server_url": self.cleaned_data["server_url"]}
        app.save()
        sign_in.app = app
        return super().save(commit=commit)


class OrganisationSignInViewSet(ModelViewSet):
    model = OrganisationSignIn
    form_class = OrganisationSignInForm
    icon = "key"
    menu_label = _("Single sign-on")
    menu_name = "single-sign-on"
    menu_order = 672
    add_to_settings_menu = True
    inspect_view_enabled = False
    copy_view_enabled = False
    list_display = [
        "organisation",
        Column("app", label=_("identity provider")),
        "required_for_members",
        "trust_provider_mfa",
        "updated_at",
    ]
    search_fields = ["organisation__name"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return OrganisationSignInForm

    def get_permissions_to_register(self):
        # Superusers only: no Django permissions exist, so groups can never be given them.
        return super().get_permissions_to_register().none()
