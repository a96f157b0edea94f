"""An account that already exists is connected to the organisation's provider only by its
owner, signed in with their password (and second factor): after that, the provider signs
them in, and the organisation may require it."""

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from bs4 import BeautifulSoup
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import translation

from audit.models import Action, AuditEvent
from sso.models import OrganisationSignIn
from tests.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

from .conftest import PROVIDER_ID, at_provider, back_at_recognise, sign_in_with_provider

ADDRESS = "grace@northshire.police.uk"


def connect(client, username):
    """allauth's connect flow: the provider, then the account's password once more
    (allauth asks to confirm it is really them), and the provider is connected."""
    url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    response = client.post(url, {"process": "connect"})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = back_at_recognise(client, at_provider(response["Location"], username))
    if response.status_code == 302 and response["Location"].startswith(
        reverse("account_reauthenticate")
    ):
        response = client.post(response["Location"], {"password": PASSWORD})
    return response


def test_the_owner_connects_their_account_then_signs_in_with_the_provider(
    sign_in_link, provider, northshire
):
    sign_in_link()
    owner = UserFactory(email=ADDRESS, role="Learner", organisation=northshire)
    provider.person("grace", email=ADDRESS, email_verified=True)
    client = Client()
    # The email step sends her to the provider, which may not sign in her account...
    refused = sign_in_with_provider(client, ADDRESS, "grace")
    assert refused.status_code == 403
    link = BeautifulSoup(refused.content, "html.parser").find(
        "a", string="Sign in with your password and connect"
    )
    # ...but offers her password, which leads on to connecting it.
    page = client.get(link["href"])
    assert 'name="password"' in page.content.decode()
    response = client.post(
        link["href"],
        {"login": ADDRESS, "password": PASSWORD, "next": reverse("socialaccount_connections")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_connections")

    response = connect(client, "grace")

    assert response.status_code == 302
    assert SocialAccount.objects.get(user=owner).provider == PROVIDER_ID
    assert AuditEvent.objects.filter(action=Action.SSO_CONNECTED, actor=owner).exists()
    fresh = Client()
    assert sign_in_with_provider(fresh, ADDRESS, "grace").status_code == 302
    assert fresh.session[SESSION_KEY] == str(owner.pk)


def test_staff_connect_only_after_their_own_second_factor(sign_in_link, provider, northshire):
    sign_in_link()
    trainer = UserFactory(email=ADDRESS, role="Trainer", organisation=northshire)
    secret = enrol_totp(trainer)
    provider.person("grace", email=ADDRESS, email_verified=True)
    client = Client()
    # Password alone: the second-factor step is still open, nobody is signed in yet.
    sign_in(client, ADDRESS)
    url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    response = client.post(url, {"process": "connect"})
    if response.status_code == 302:
        response = back_at_recognise(client, at_provider(response["Location"], "grace"))
    assert not SocialAccount.objects.filter(user=trainer).exists()

    client = Client()
    assert sign_in_with_totp(client, trainer, secret).status_code == 302
    assert connect(client, "grace").status_code == 302
    assert SocialAccount.objects.filter(user=trainer).exists()


def test_a_provider_asserting_another_address_connects_nothing(sign_in_link, provider, northshire):
    sign_in_link()
    owner = UserFactory(email=ADDRESS, role="Learner", organisation=northshire)
    provider.person("mallory", email="mallory@northshire.police.uk", email_verified=True)
    client = Client()
    sign_in(client, ADDRESS)

    response = connect(client, "mallory")

    assert response.status_code == 403
    assert not SocialAccount.objects.filter(user=owner).exists()
    assert AuditEvent.objects.filter(action=Action.SSO_REFUSED).exists()


def test_members_who_connected_may_no_longer_sign_in_with_a_password(
    sign_in_link, provider, northshire
):
    sign_in_link(required_for_members=True)
    member = UserFactory(email=ADDRESS, role="Learner", organisation=northshire)
    provider.person("grace", email=ADDRESS, email_verified=True)
    client = Client()
    # Not yet connected: the password still works, so they can connect.
    assert sign_in(client, ADDRESS).status_code == 302
    connect(client, "grace")

    refused = Client()
    response = sign_in(refused, ADDRESS)

    assert response.status_code == 200
    assert "sign in with its own sign-in service" in response.content.decode()
    assert SESSION_KEY not in refused.session
    assert member.pk == SocialAccount.objects.get().user_id


def test_administrators_keep_their_password_when_members_must_use_the_provider(
    sign_in_link, provider, northshire
):
    sign_in_link(required_for_members=True)
    admin = UserFactory(email=ADDRESS, is_superuser=True, is_staff=True, organisation=northshire)
    SocialAccount.objects.create(user=admin, provider=PROVIDER_ID, uid="admin")

    response = sign_in(Client(), ADDRESS)

    assert response.status_code == 302


def test_a_member_who_must_use_the_provider_connects_it_before_anything_else(
    sign_in_link, provider, northshire
):
    sign_in_link(required_for_members=True)
    UserFactory(email=ADDRESS, role="Learner", organisation=northshire)
    provider.person("grace", email=ADDRESS, email_verified=True)
    client = Client()

    signed_in = sign_in(client, ADDRESS)

    # The password signs her in to connect the organisation's service, and nothing else.
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("socialaccount_connections")
    held = client.get(reverse("learning:my_learning"))
    assert held.status_code == 302
    assert held["Location"] == reverse("socialaccount_connections")
    assert client.get(reverse("socialaccount_connections")).status_code == 200

    connect(client, "grace")

    assert client.get(reverse("learning:my_learning")).status_code == 200


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_connections_page_offers_only_the_members_own_organisations_sign_in(
    sign_in_link, northshire, language
):
    sign_in_link()
    elsewhere = OrganisationFactory(name="Westshire Council", email_domains="westshire.gov.uk")
    OrganisationSignIn.objects.create(
        organisation=elsewhere,
        app=SocialApp.objects.create(
            provider="openid_connect",
            provider_id="westshire",
            name="Westshire Council account",
            client_id="westshire-client",
            secret="westshire-secret",
            settings={"server_url": "https://login.westshire.example/v2.0"},
        ),
        email_domains="westshire.gov.uk",
    )
    member = UserFactory(email=ADDRESS, role="Learner", organisation=northshire)
    client = Client()
    client.force_login(member)

    with translation.override(language):
        page = client.get(reverse("socialaccount_connections")).content.decode()

    assert "Northshire Police account" in page
    assert "Westshire Council account" not in page
    heading = BeautifulSoup(page, "html.parser").find("h1").get_text(strip=True)
    assert (
        heading
        == {"en": "Your organisation's sign-in", "cy": "Mewngofnodi eich sefydliad"}[language]
    )
