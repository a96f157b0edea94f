"""Organisations' single sign-on in the Wagtail admin, under Settings: administrators
(superusers) only. One form sets up both the identity provider (an allauth SocialApp:
for OpenID Connect its client id, secret and server address; for SAML 2.0 what its
metadata says) and what it may do for the organisation. The secret is write-only: the
form never shows it back."""

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

from . import saml
from .models import OrganisationSignIn

OPENID_CONNECT = "openid_connect"
SAML = saml.PROVIDER
KINDS = [
    (OPENID_CONNECT, _("OpenID Connect (Microsoft Entra ID, Okta, Google…)")),
    (SAML, _("SAML 2.0 (ADFS, Entra ID SAML, Shibboleth…)")),
]


def kind_of(app):
    """What people see of an app's kind of provider."""
    return dict(KINDS).get(app.provider, app.provider)


def callback_url(app):
    """The address the provider sends people back to, to register with the provider."""
    provider = app.get_provider(None)
    return absolute_url(provider.get_callback_url())


def saml_addresses(slug):
    """The addresses a SAML identity provider's administrator copies, as one sentence."""
    paths = saml.service_provider_paths(slug)
    return _(
        "Give the identity provider these addresses: entity id (identifier) and metadata "
        "URL %(metadata)s ; assertion consumer service (reply URL, HTTP-POST) %(acs)s"
    ) % {"metadata": absolute_url(paths["metadata"]), "acs": absolute_url(paths["acs"])}


class OrganisationSignInForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("Kind of identity provider"),
        choices=KINDS,
        initial=OPENID_CONNECT,
        # Sign-ins were all OpenID Connect before SAML could be chosen here: a form posted
        # without a kind is one.
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            'Fill in the fields starting "OpenID Connect:" or those starting "SAML '
            '2.0:", as the identity provider speaks. It cannot be changed once saved: '
            "set up a new sign-in instead."
        ),
    )
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
        label=_("OpenID Connect: issuer (server) URL"),
        required=False,
        assume_scheme="https",
        help_text=_(
            "The provider's issuer address, where /.well-known/openid-configuration is "
            "found. For Microsoft Entra ID: https://login.microsoftonline.com/<tenant "
            "id>/v2.0"
        ),
    )
    client_id = forms.CharField(
        label=_("OpenID Connect: client ID"),
        required=False,
        max_length=191,
        help_text=_("For Microsoft Entra ID: the Application (client) ID."),
    )
    secret = forms.CharField(
        label=_("OpenID Connect: client secret"),
        required=False,
        strip=False,
        max_length=191,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown again once saved. Leave empty to keep the secret already saved."),
    )
    metadata = forms.CharField(
        label=_("SAML 2.0: identity provider's metadata (XML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "Paste the whole XML the identity provider publishes as its metadata (for ADFS "
            "and Entra ID: FederationMetadata.xml). Recognise keeps its entity id, sign-in "
            "address and signing certificate; paste it again when the certificate changes."
        ),
    )
    idp_entity_id = forms.CharField(
        label=_("SAML 2.0: identity provider's entity id (optional)"),
        required=False,
        max_length=1024,
        help_text=_("Only needed when the metadata describes several identity providers."),
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
            [
                "organisation",
                "kind",
                "name",
                "provider_id",
                "server_url",
                "client_id",
                "secret",
                "metadata",
                "idp_entity_id",
            ]
        )
        app = self.instance.app if self.instance.app_id else None
        self.saved_secret = app.secret if app and app.provider == OPENID_CONNECT else ""
        self.saved_idp = app.settings.get("idp") if app and app.provider == SAML else None
        self.idp = None
        if app is None:
            self.fields["secret"].help_text = _("Never shown again once saved.")
            example = reverse(
                "openid_connect_callback", kwargs={"provider_id": "short-name"}
            ).replace("short-name", "<short name>")
            saml_example = saml.service_provider_paths("short-name")["acs"].replace(
                "short-name", "<short name>"
            )
            self.fields["provider_id"].help_text = format_lazy(
                "{} {} {}",
                self.fields["provider_id"].help_text,
                _("The callback URL to register will be %(url)s") % {"url": absolute_url(example)},
                _("(for SAML 2.0, the reply URL will be %(url)s).")
                % {"url": absolute_url(saml_example)},
            )
            return
        self.fields["kind"].disabled = True
        self.initial.update(kind=app.provider, name=app.name, provider_id=app.provider_id)
        if app.provider == SAML:
            self.fields["provider_id"].help_text = saml_addresses(app.provider_id)
            idp = self.saved_idp or {}
            self.fields["metadata"].help_text = format_lazy(
                "{} {}",
                _(
                    "Leave empty to keep the identity provider already saved (entity id "
                    "%(entity_id)s, sign-in address %(sso_url)s)."
                )
                % {"entity_id": idp.get("entity_id", ""), "sso_url": idp.get("sso_url", "")},
                self.fields["metadata"].help_text,
            )
        else:
            self.initial.update(
                server_url=app.settings.get("server_url", ""), client_id=app.client_id
            )
            self.fields["provider_id"].help_text = _(
                "Callback (redirect) URL to register at the provider: %(url)s"
            ) % {"url": callback_url(app)}

    def clean_kind(self):
        # A saved sign-in keeps its kind: its app, accounts and addresses are of that kind.
        if self.instance.app_id:
            return self.instance.app.provider
        return self.cleaned_data["kind"] or OPENID_CONNECT

    def clean_provider_id(self):
        provider_id = self.cleaned_data["provider_id"]
        others = SocialApp.objects.filter(provider_id=provider_id)
        if self.instance.app_id:
            others = others.exclude(pk=self.instance.app_id)
        elif self.cleaned_data.get("kind") == SAML:
            # An identity provider set up by the saml_identity_provider command and not
            # yet linked to an organisation is this one: saving updates it.
            others = others.exclude(provider=SAML, organisation_sign_in__isnull=True)
        if others.exists():
            raise forms.ValidationError(_("Another sign-in already has this short name."))
        return provider_id

    def clean_server_url(self):
        url = self.cleaned_data["server_url"]
        # People's names and addresses come back from it, and it vouches for who they
        # are: https only, except on a developer's machine.
        if url and not url.startswith("https://") and not settings.DEBUG:
            raise forms.ValidationError(_("Enter an https:// address."))
        return url

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        if kind == OPENID_CONNECT:
            self.clean_openid_connect(cleaned_data)
        elif kind == SAML:
            self.clean_saml(cleaned_data)
        return cleaned_data

    def clean_openid_connect(self, cleaned_data):
        required = {
            "server_url": _("Enter the provider's issuer URL."),
            "client_id": _("Enter the client ID the provider gave you."),
        }
        for field, message in required.items():
            if not cleaned_data.get(field) and field not in self.errors:
                self.add_error(field, message)
        secret = cleaned_data.get("secret") or self.saved_secret
        if not secret:
            self.add_error("secret", _("Enter the client secret the provider gave you."))
        cleaned_data["secret"] = secret

    def clean_saml(self, cleaned_data):
        xml = (cleaned_data.get("metadata") or "").strip()
        entity_id = (cleaned_data.get("idp_entity_id") or "").strip() or None
        if not xml:
            if self.saved_idp:
                return
            self.add_error("metadata", _("Paste the identity provider's metadata XML."))
            return
        try:
            self.idp = saml.idp_settings_from_metadata(xml, entity_id=entity_id)
        except saml.UnreadableMetadata:
            self.add_error(
                "metadata",
                _(
                    "This is not SAML metadata XML. Paste the whole XML document the "
                    "identity provider publishes, from <?xml or <EntityDescriptor to its end."
                ),
            )
        except saml.IncompleteMetadata:
            message = _(
                "The metadata names no identity provider with a signing certificate and a "
                "sign-in (SingleSignOnService) address."
            )
            if entity_id:
                message = _(
                    "The metadata names no identity provider with the entity id %(entity_id)s, "
                    "a signing certificate and a sign-in (SingleSignOnService) address."
                ) % {"entity_id": entity_id}
            self.add_error("metadata", message)

    @transaction.atomic
    def save(self, commit=True):
        sign_in = self.instance
        if self.cleaned_data["kind"] == SAML:
            sign_in.app = saml.save_identity_provider(
                self.cleaned_data["provider_id"],
                name=self.cleaned_data["name"],
                idp=self.idp or self.saved_idp,
                # Addresses at the sign-in's domains are the organisation's own, which this
                # identity provider vouches for: no confirmation email.
                verified_domains=sign_in.domains(),
                app=sign_in.app if sign_in.app_id else None,
            )
            return super().save(commit=commit)
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
        Column("kind", label=_("kind"), accessor=lambda sign_in: kind_of(sign_in.app)),
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
