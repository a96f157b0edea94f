"""Administrators set up an organisation's single sign-on in the admin: the secret is
never shown back, the callback URL to register is shown, and a domain must be the
organisation's own and no other sign-in's. A SAML 2.0 identity provider is set up from its
metadata XML, and the addresses to give it are shown."""

import io
import re

import pytest
from allauth.socialaccount.models import SocialApp
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from sso.models import OrganisationSignIn
from tests.factories import OrganisationFactory, UserFactory
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp
from tests.sso_saml.idp import IDP_ENTITY_ID, IDP_SSO_URL, IdentityProvider, key_and_certificate

pytestmark = pytest.mark.django_db

SECRET = "client-secret-from-entra"
CALLBACK = "/sso/oidc/northshire/login/callback/"


@pytest.fixture
def admin_client():
    admin = UserFactory(is_superuser=True, is_staff=True, email="admin@example.org")
    client = Client()
    sign_in_with_totp(client, admin, enrol_totp(admin))
    return client


@pytest.fixture
def organisation():
    return OrganisationFactory(
        name="Northshire Police", email_domains="northshire.police.uk\nnorthshire.example"
    )


def form(organisation, **values):
    data = {
        "organisation": str(organisation.pk),
        "name": "Northshire Police account",
        "provider_id": "northshire",
        "server_url": "https://login.microsoftonline.com/tenant-id/v2.0",
        "client_id": "11111111-2222-3333-4444-555555555555",
        "secret": SECRET,
        "email_domains": "northshire.police.uk",
        "trusted_acr_values": "",
    }
    data.update(values)
    return data


def test_an_administrator_links_a_provider_and_never_sees_the_secret_again(
    admin_client, organisation
):
    add = admin_client.get(reverse("organisation_sign_ins:add")).content.decode()
    assert "/sso/oidc/" in add

    response = admin_client.post(reverse("organisation_sign_ins:add"), form(organisation))

    assert response.status_code == 302
    sign_in = OrganisationSignIn.objects.get()
    assert sign_in.app.secret == SECRET
    assert sign_in.app.provider == "openid_connect"
    assert sign_in.app.settings["server_url"].endswith("/v2.0")
    assert not sign_in.trust_provider_mfa
    page = admin_client.get(reverse("organisation_sign_ins:edit", args=[sign_in.pk]))
    content = page.content.decode()
    assert SECRET not in content
    assert f"http://testserver{CALLBACK}" in content
    response = admin_client.post(
        reverse("organisation_sign_ins:edit", args=[sign_in.pk]), form(organisation, secret="")
    )
    assert response.status_code == 302
    assert SocialApp.objects.get().secret == SECRET


def test_a_domain_must_be_one_of_the_organisation_s_verified_domains(admin_client, organisation):
    response = admin_client.post(
        reverse("organisation_sign_ins:add"), form(organisation, email_domains="gmail.com")
    )

    assert response.status_code == 200
    assert "verified domains: gmail.com" in response.content.decode()
    assert not SocialApp.objects.exists()


def test_a_domain_belongs_to_one_organisation_s_sign_in(admin_client, organisation):
    admin_client.post(reverse("organisation_sign_ins:add"), form(organisation))
    other = OrganisationFactory(name="Northshire Fire", email_domains="northshire.police.uk")

    response = admin_client.post(
        reverse("organisation_sign_ins:add"),
        form(other, provider_id="fire", name="Fire"),
    )

    assert response.status_code == 200
    assert "Already signed in by another organisation" in response.content.decode()
    assert OrganisationSignIn.objects.count() == 1


def test_only_https_providers(admin_client, organisation):
    response = admin_client.post(
        reverse("organisation_sign_ins:add"),
        form(organisation, server_url="http://login.example.org"),
    )
    assert response.status_code == 200
    assert not SocialApp.objects.exists()


def test_only_administrators(organisation):
    trainer = UserFactory(role="Trainer")
    client = Client()
    sign_in_with_totp(client, trainer, enrol_totp(trainer))
    assert client.get(reverse("organisation_sign_ins:index")).status_code == 403
    learner = UserFactory(role="Learner")
    client = Client()
    sign_in(client, learner.email)
    assert client.get(reverse("organisation_sign_ins:index")).status_code == 403


# SAML 2.0: the identity provider is set up from its metadata XML.

SAML_ACS = "/accounts/saml/north-trust/acs/"
SAML_METADATA = "/accounts/saml/north-trust/metadata/"
# What the sign-in failure page says whichever page allauth's errors are shown on.
SAML_FAILURE = "did not work"


@pytest.fixture
def identity_provider(tmp_path):
    """A SAML identity provider (tests/sso_saml/idp.py) that knows no service provider yet:
    enough for its metadata."""
    return IdentityProvider(*key_and_certificate(tmp_path, "idp"), sp_metadata=[])


def saml_form(organisation, metadata, **values):
    data = {
        "organisation": str(organisation.pk),
        "kind": "saml",
        "name": "North Trust staff",
        "provider_id": "north-trust",
        "metadata": metadata,
        "idp_entity_id": "",
        "email_domains": "northshire.police.uk",
        "trusted_acr_values": "",
    }
    data.update(values)
    return data


def test_an_administrator_sets_up_a_saml_sign_in_from_metadata_and_sees_the_addresses_to_copy(
    admin_client, organisation, identity_provider
):
    add = admin_client.get(reverse("organisation_sign_ins:add")).content.decode()
    assert "SAML 2.0" in add
    assert "/accounts/saml/" in add

    response = admin_client.post(
        reverse("organisation_sign_ins:add"), saml_form(organisation, identity_provider.metadata())
    )

    assert response.status_code == 302
    sign_in = OrganisationSignIn.objects.get()
    app = sign_in.app
    assert (app.provider, app.provider_id, app.client_id) == ("saml", "north-trust", "north-trust")
    assert app.name == "North Trust staff"
    assert app.settings["idp"] == {
        "entity_id": IDP_ENTITY_ID,
        "sso_url": IDP_SSO_URL,
        "x509cert": identity_provider.certificate,
    }
    assert app.settings["verified_email"] == ["northshire.police.uk"]
    assert app.secret == ""
    # Saved with what every SAML sign-in needs (sso/receivers.py).
    assert app.settings["advanced"]["strict"] is True
    assert app.settings["advanced"]["want_assertion_signed"] is True
    edit = admin_client.get(reverse("organisation_sign_ins:edit", args=[sign_in.pk]))
    content = edit.content.decode()
    assert f"http://testserver{SAML_METADATA}" in content
    assert f"http://testserver{SAML_ACS}" in content
    assert IDP_ENTITY_ID in content
    index = admin_client.get(reverse("organisation_sign_ins:index")).content.decode()
    assert "SAML 2.0" in index


@pytest.mark.parametrize(
    "metadata",
    [
        "not xml at all",
        "<EntityDescriptor",
        # Well-formed, but no identity provider in it.
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
        'entityID="https://sp.example"/>',
    ],
)
def test_metadata_recognise_cannot_use_is_a_field_error_and_nothing_is_saved(
    admin_client, organisation, metadata
):
    response = admin_client.post(
        reverse("organisation_sign_ins:add"), saml_form(organisation, metadata)
    )

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"metadata"}
    assert not SocialApp.objects.exists()
    assert not OrganisationSignIn.objects.exists()


def test_metadata_without_a_signing_certificate_or_sign_in_address_is_refused(
    admin_client, organisation, identity_provider
):
    metadata = identity_provider.metadata()
    without_certificate = re.sub(r"<ns\d:KeyDescriptor.*?</ns\d:KeyDescriptor>", "", metadata)
    without_sso = re.sub(r"<ns\d:SingleSignOnService[^>]*/>", "", metadata)
    assert without_certificate != metadata and without_sso != metadata

    for broken in (without_certificate, without_sso):
        response = admin_client.post(
            reverse("organisation_sign_ins:add"), saml_form(organisation, broken)
        )
        assert response.status_code == 200
        assert "signing certificate" in str(response.context["form"].errors["metadata"])
    assert not SocialApp.objects.exists()
    assert not OrganisationSignIn.objects.exists()


def test_another_entity_id_than_the_metadata_s_is_refused(
    admin_client, organisation, identity_provider
):
    response = admin_client.post(
        reverse("organisation_sign_ins:add"),
        saml_form(
            organisation, identity_provider.metadata(), idp_entity_id="https://other.example"
        ),
    )
    assert response.status_code == 200
    assert "https://other.example" in str(response.context["form"].errors["metadata"])
    assert not SocialApp.objects.exists()


def test_saml_fields_are_not_asked_of_an_openid_connect_sign_in_nor_the_reverse(
    admin_client, organisation
):
    response = admin_client.post(
        reverse("organisation_sign_ins:add"),
        form(organisation, kind="saml", metadata=""),
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"metadata"}
    response = admin_client.post(
        reverse("organisation_sign_ins:add"),
        form(organisation, kind="openid_connect", client_id="", secret=""),
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"client_id", "secret"}
    assert not SocialApp.objects.exists()


def test_editing_a_saml_sign_in_keeps_its_kind_and_its_identity_provider(
    admin_client, organisation, identity_provider
):
    admin_client.post(
        reverse("organisation_sign_ins:add"), saml_form(organisation, identity_provider.metadata())
    )
    sign_in = OrganisationSignIn.objects.get()
    idp = sign_in.app.settings["idp"]

    # The metadata left empty keeps the identity provider; a posted kind is ignored.
    response = admin_client.post(
        reverse("organisation_sign_ins:edit", args=[sign_in.pk]),
        saml_form(
            organisation,
            "",
            kind="openid_connect",
            name="North Trust",
            trust_provider_mfa="on",
        ),
    )

    assert response.status_code == 302
    sign_in.refresh_from_db()
    app = SocialApp.objects.get()
    assert (app.provider, app.client_id, app.name) == ("saml", "north-trust", "North Trust")
    assert app.settings["idp"] == idp
    assert app.settings["advanced"]["want_assertion_signed"] is True
    assert sign_in.trust_provider_mfa
    edit = admin_client.get(reverse("organisation_sign_ins:edit", args=[sign_in.pk]))
    assert edit.context["form"].fields["kind"].disabled
    assert "cannot be changed once saved" in edit.content.decode()


def test_editing_an_openid_connect_sign_in_keeps_its_kind(admin_client, organisation):
    admin_client.post(reverse("organisation_sign_ins:add"), form(organisation))
    sign_in = OrganisationSignIn.objects.get()

    response = admin_client.post(
        reverse("organisation_sign_ins:edit", args=[sign_in.pk]),
        form(organisation, kind="saml", secret=""),
    )

    assert response.status_code == 302
    app = SocialApp.objects.get()
    assert app.provider == "openid_connect"
    assert app.secret == SECRET


def test_a_saml_sign_in_set_up_in_the_admin_checks_responses_with_the_metadata_s_certificate(
    admin_client, organisation, tmp_path, settings
):
    """End to end: the identity provider's signed response, checked with what the form
    read from the metadata, signs the person in as a member of the organisation; the
    same response signed with another key does not."""
    host = "learn.recognise.example"  # python3-saml refuses hosts without a dot
    settings.ALLOWED_HOSTS = ["testserver", host]
    key_file, cert_file = key_and_certificate(tmp_path, "idp")
    metadata = IdentityProvider(key_file, cert_file, sp_metadata=[]).metadata()
    response = admin_client.post(
        reverse("organisation_sign_ins:add"), saml_form(organisation, metadata)
    )
    assert response.status_code == 302
    sp = Client(HTTP_HOST=host).get(SAML_METADATA)
    assert sp.status_code == 200, (sp.status_code, sp.get("Location"))
    sp_metadata = [sp.content.decode()]
    rogue = IdentityProvider(*key_and_certificate(tmp_path, "rogue"), sp_metadata=sp_metadata)
    idp = IdentityProvider(key_file, cert_file, sp_metadata=sp_metadata)

    def post(identity_provider):
        browser = Client(HTTP_HOST=host)
        saml_response = identity_provider.response(
            sp_entity_id=f"http://{host}{SAML_METADATA}",
            acs_url=f"http://{host}{SAML_ACS}",
            email="ada.lovelace@northshire.police.uk",
        )
        posted = browser.post(SAML_ACS, {"SAMLResponse": saml_response})
        assert posted.status_code == 302
        finished = browser.get(posted["Location"])
        assert finished.status_code != 500
        return browser, finished

    refused_browser, refused = post(rogue)
    assert SAML_FAILURE in refused.content.decode()
    assert "_auth_user_id" not in refused_browser.session
    browser, finished = post(idp)
    assert finished.status_code == 302
    member = User.objects.get(email="ada.lovelace@northshire.police.uk")
    assert browser.session["_auth_user_id"] == str(member.pk)
    assert member.memberships.get().organisation == organisation


def test_an_identity_provider_set_up_by_the_command_is_linked_by_the_form(
    admin_client, organisation, identity_provider, tmp_path
):
    metadata = identity_provider.metadata()
    metadata_file = tmp_path / "idp.xml"
    metadata_file.write_text(metadata)
    call_command(
        "saml_identity_provider",
        "north-trust",
        "--name=North Trust",
        f"--metadata-file={metadata_file}",
        stdout=io.StringIO(),
    )
    app = SocialApp.objects.get()

    response = admin_client.post(
        reverse("organisation_sign_ins:add"), saml_form(organisation, metadata)
    )

    assert response.status_code == 302
    assert SocialApp.objects.get().pk == app.pk
    assert OrganisationSignIn.objects.get().app_id == app.pk
