"""Administrators set up an organisation's single sign-on in the admin: the secret is
never shown back, the callback URL to register is shown, and a domain must be the
organisation's own and no other sign-in's."""

import pytest
from allauth.socialaccount.models import SocialApp
from django.test import Client
from django.urls import reverse

from sso.models import OrganisationSignIn
from tests.factories import OrganisationFactory, UserFactory
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

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
