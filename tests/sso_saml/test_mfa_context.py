"""Which authentication contexts count as a sign-in with more than one factor."""

import pytest

from sso.saml import (
    AUTHN_METHODS_ATTRIBUTE,
    asserted_mfa,
    idp_settings_from_metadata,
    secure_app_settings,
)
from tests.sso_saml.idp import IDP_ENTITY_ID, IDP_SSO_URL, IdentityProvider, key_and_certificate

AC = "urn:oasis:names:tc:SAML:2.0:ac:classes:"


@pytest.mark.parametrize(
    "context",
    [
        "http://schemas.microsoft.com/claims/multipleauthn",
        "https://refeds.org/profile/mfa",
        f"{AC}MobileTwoFactorContract",
        f"{AC}MobileTwoFactorUnregistered",
        f"{AC}SmartcardPKI",
    ],
)
def test_two_factor_contexts_count(context):
    assert asserted_mfa([f"{AC}PasswordProtectedTransport", context])


@pytest.mark.parametrize(
    "context",
    [
        f"{AC}Password",
        f"{AC}PasswordProtectedTransport",
        f"{AC}Kerberos",
        f"{AC}Smartcard",
        f"{AC}TimeSyncToken",
        "urn:federation:authentication:windows",
        "http://schemas.microsoft.com/claims/multipleauthn/extra",
    ],
)
def test_single_factor_and_unknown_contexts_do_not(context):
    assert not asserted_mfa([context])


def test_nothing_asserted_is_not_mfa():
    assert not asserted_mfa([])
    assert not asserted_mfa(None, {})


def test_entra_ids_methods_attribute_counts():
    attributes = {
        AUTHN_METHODS_ATTRIBUTE: [
            "http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password",
            "http://schemas.microsoft.com/claims/multipleauthn",
        ]
    }
    assert asserted_mfa([f"{AC}Password"], attributes)
    password_only = {AUTHN_METHODS_ATTRIBUTE: [attributes[AUTHN_METHODS_ATTRIBUTE][0]]}
    assert not asserted_mfa([f"{AC}Password"], password_only)


def test_security_settings_win_over_what_was_entered():
    entered = {"advanced": {"strict": False, "want_assertion_signed": False}}
    secured = secure_app_settings(entered)["advanced"]
    assert secured["strict"] is True
    assert secured["want_assertion_signed"] is True
    assert secured["reject_deprecated_algorithm"] is True
    assert secured["authn_request_signed"] is False
    assert entered["advanced"]["strict"] is False  # the caller's dict is left alone


def test_requests_are_signed_once_recognise_has_a_key_and_certificate():
    advanced = {"private_key": "KEY", "x509cert": "CERT", "authn_request_signed": False}
    assert secure_app_settings({"advanced": advanced})["advanced"]["authn_request_signed"]


def test_idp_settings_are_read_from_metadata_xml(tmp_path):
    idp = IdentityProvider(*key_and_certificate(tmp_path, "idp"), sp_metadata=[])
    assert idp_settings_from_metadata(idp.metadata()) == {
        "entity_id": IDP_ENTITY_ID,
        "sso_url": IDP_SSO_URL,
        "x509cert": idp.certificate,
    }


def test_metadata_without_an_identity_provider_is_refused():
    with pytest.raises(ValueError):
        idp_settings_from_metadata(
            '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
            'entityID="https://sp.example/"/>'
        )
