"""SAML 2.0 sign-in through allauth's saml provider: what Recognise asks of an
organisation's identity provider, and what it reads from the assertions it receives.

An organisation is one SocialApp(provider="saml", provider_id=<slug>, client_id=<slug>);
its settings hold the identity provider (from its metadata URL or XML) and are always
saved with secure_app_settings() (sso/receivers.py). docs/sso-saml.md is the same
information for an organisation's IT team.
"""

import copy
import datetime

from allauth.socialaccount.models import SocialApp
from django.core.cache import cache
from django.urls import reverse
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

PROVIDER = "saml"

NAMEID_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"

# Where each field of the account is read from, first match wins: the OIDs that
# Shibboleth and most SAML 2.0 providers send, then the claim names of ADFS and Entra ID.
ATTRIBUTE_MAPPING = {
    # A stable identifier of the person at their organisation; without one, the NameID.
    "uid": [
        "urn:oasis:names:tc:SAML:attribute:subject-id",
        "http://schemas.microsoft.com/identity/claims/objectidentifier",
    ],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    ],
    "first_name": [
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
    ],
    "last_name": [
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
    ],
}

# Authentication contexts that say the person used more than one factor. Each names two
# factors in its definition; "Smartcard", "TimeSyncToken", "Password" and
# "PasswordProtectedTransport" do not, so they never count.
MFA_AUTHN_CONTEXTS = frozenset(
    {
        # ADFS (and Entra ID, in the attribute below) after Azure MFA or another method.
        "http://schemas.microsoft.com/claims/multipleauthn",
        # The REFEDS MFA profile, sent by Shibboleth and other research-sector providers.
        "https://refeds.org/profile/mfa",
        # SAML 2.0's own classes that are two factors by definition.
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorUnregistered",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
    }
)
# Entra ID keeps its AuthnContextClassRef at "Password" and lists the methods used in
# this attribute instead.
AUTHN_METHODS_ATTRIBUTE = "http://schemas.microsoft.com/claims/authnmethodsreferences"
MFA_AUTHN_CONTEXT = "http://schemas.microsoft.com/claims/multipleauthn"

# Kept in the session of a SAML sign-in for whoever decides whether its second factor is
# enough (signing in with a trusted provider's MFA).
SESSION_KEY = "sso_saml_sign_in"


def asserted_mfa(authn_contexts, attributes=None):
    """Whether the identity provider said the person signed in with more than one factor:
    an AuthnContextClassRef of MFA_AUTHN_CONTEXTS, or Entra ID's methods attribute
    naming multipleauthn."""
    if any(context.strip() in MFA_AUTHN_CONTEXTS for context in authn_contexts or ()):
        return True
    methods = (attributes or {}).get(AUTHN_METHODS_ATTRIBUTE) or ()
    return any(method.strip() == MFA_AUTHN_CONTEXT for method in methods)


def secure_app_settings(app_settings):
    """A SAML SocialApp's settings with what Recognise requires whatever was entered:
    strict checking, signed assertions, signed sign-in requests when the organisation
    gave Recognise a key and certificate, no SHA-1, and the attribute mapping above
    unless the organisation set its own."""
    app_settings = copy.deepcopy(app_settings or {})
    advanced = app_settings.setdefault("advanced", {})
    advanced["strict"] = True
    advanced["want_assertion_signed"] = True
    advanced["reject_deprecated_algorithm"] = True
    advanced["authn_request_signed"] = bool(
        advanced.get("private_key") and advanced.get("x509cert")
    )
    advanced.setdefault("name_id_format", NAMEID_FORMAT)
    # Sign-ins started from the organisation's portal (its "My Apps" page) are allowed;
    # each response is still used once only (sso/saml_views.py).
    advanced.setdefault("reject_idp_initiated_sso", False)
    app_settings.setdefault("attribute_mapping", copy.deepcopy(ATTRIBUTE_MAPPING))
    return app_settings


class UnreadableMetadata(ValueError):
    """The identity provider's metadata is not SAML metadata XML at all."""


class IncompleteMetadata(ValueError):
    """The metadata names no identity provider with a signing certificate and a sign-in
    address (or not the one whose entity id was given)."""


def idp_settings_from_metadata(xml, entity_id=None):
    """The "idp" entry of a SocialApp's settings, read from an identity provider's
    metadata XML: its entity id, sign-in and sign-out addresses and signing
    certificate."""
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml, entity_id=entity_id)
    except Exception as error:  # python3-saml raises plain Exception (or lxml's) for bad XML
        raise UnreadableMetadata(f"Not SAML metadata XML: {error}") from error
    idp = parsed.get("idp") or {}
    cert = idp.get("x509cert") or (idp.get("x509certMulti") or {}).get("signing", [None])[0]
    if not idp.get("entityId") or not cert or not idp.get("singleSignOnService"):
        raise IncompleteMetadata(
            "The metadata names no identity provider with a signing certificate and a "
            "sign-in (SSO) address."
        )
    settings = {
        "entity_id": idp["entityId"],
        "sso_url": idp["singleSignOnService"]["url"],
        "x509cert": cert,
    }
    slo = (idp.get("singleLogoutService") or {}).get("url")
    if slo:
        settings["slo_url"] = slo
    return settings


def service_provider_paths(organization_slug):
    """The addresses (paths) an organisation's identity provider is given: Recognise's
    entity id, which is also its metadata, the assertion consumer service (HTTP-POST),
    single logout (HTTP-Redirect) and the link that starts a sign-in."""
    kwargs = {"organization_slug": organization_slug}
    return {
        "metadata": reverse("saml_metadata", kwargs=kwargs),
        "acs": reverse("saml_acs", kwargs=kwargs),
        "sls": reverse("saml_sls", kwargs=kwargs),
        "login": reverse("saml_login", kwargs=kwargs),
    }


def save_identity_provider(organization_slug, *, name, idp, verified_domains=(), app=None):
    """Create or update an organisation's SAML SocialApp: the given app, or the one with
    this slug, or a new one. The saml provider finds the app by client_id, so it is the
    slug too. verified_domains are the email domains whose addresses the identity provider
    vouches for. The pre_save receiver adds the security settings."""
    if app is None:
        app = SocialApp.objects.filter(provider=PROVIDER, provider_id=organization_slug).first()
    app = app or SocialApp(provider=PROVIDER)
    app.provider_id = organization_slug
    app.client_id = organization_slug
    app.name = name
    app.settings = {
        **app.settings,
        "idp": idp,
        "verified_email": list(verified_domains) or False,
    }
    app.save()
    return app


def first_use_of(organization_slug, auth):
    """Record a valid response's assertion as used; False if it was used before. It is
    remembered until it expires, after which python3-saml refuses it anyway."""
    assertion_id = auth.get_last_assertion_id() or auth.get_last_message_id()
    expires = auth.get_last_assertion_not_on_or_after()
    now = datetime.datetime.now(datetime.UTC).timestamp()
    # python3-saml allows this much clock skew, so the assertion is kept that much longer.
    lifetime = int(expires - now) + 300 if expires else 24 * 60 * 60
    key = f"sso-saml-used:{organization_slug}:{assertion_id}"
    return cache.add(key, True, timeout=max(lifetime, 300))


def remember_sign_in(request, auth):
    """Keep, in the session, what the identity provider said about how the person
    signed in."""
    contexts = list(auth.get_last_authn_contexts() or [])
    request.session[SESSION_KEY] = {
        "authn_contexts": contexts,
        "mfa": asserted_mfa(contexts, auth.get_attributes()),
    }
