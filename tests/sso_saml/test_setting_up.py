"""An administrator sets up an organisation's identity provider from its metadata."""

import io

import pytest
from allauth.socialaccount.models import SocialApp
from django.core.management import CommandError, call_command

from tests.sso_saml.idp import IDP_ENTITY_ID, IDP_SSO_URL, IdentityProvider, key_and_certificate


def test_identity_provider_is_set_up_from_its_metadata_file(db, tmp_path):
    idp = IdentityProvider(*key_and_certificate(tmp_path, "idp"), sp_metadata=[])
    metadata = tmp_path / "idp.xml"
    metadata.write_text(idp.metadata())
    out = io.StringIO()
    call_command(
        "saml_identity_provider",
        "north-trust",
        "--name=North Trust staff",
        f"--metadata-file={metadata}",
        "--verified-domain=trust.example",
        "--base-url=https://learn.recognise.example",
        stdout=out,
    )
    app = SocialApp.objects.get(provider="saml", provider_id="north-trust")
    assert app.client_id == "north-trust"
    assert app.settings["idp"] == {
        "entity_id": IDP_ENTITY_ID,
        "sso_url": IDP_SSO_URL,
        "x509cert": idp.certificate,
    }
    assert app.settings["verified_email"] == ["trust.example"]
    # Saved with what every SAML sign-in needs (sso/receivers.py).
    assert app.settings["advanced"]["want_assertion_signed"] is True
    assert app.settings["advanced"]["strict"] is True
    assert (
        "Assertion consumer service (HTTP-POST): "
        "https://learn.recognise.example/accounts/saml/north-trust/acs/"
    ) in out.getvalue()


def test_metadata_url_must_be_https(db):
    with pytest.raises(CommandError):
        call_command(
            "saml_identity_provider",
            "north-trust",
            "--name=North Trust",
            "--metadata-url=http://idp.example/metadata",
            "--entity-id=x",
        )


def test_a_saml_app_saved_any_other_way_is_secured_too(db):
    app = SocialApp.objects.create(
        provider="saml",
        provider_id="x",
        client_id="x",
        name="X",
        settings={"advanced": {"strict": False, "want_assertion_signed": False}},
    )
    app.refresh_from_db()
    assert app.settings["advanced"]["strict"] is True
    assert app.settings["advanced"]["want_assertion_signed"] is True
