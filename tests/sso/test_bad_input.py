"""What goes wrong between Recognise and a provider, and what people then see: an
id_token that expired, was meant for another client, came from another issuer or was
signed with another key; a state used twice; a provider that does not answer. Each is a
clear page and an audit entry: never a server error, never someone signed in."""

import time

import jwt
import pytest
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User
from audit.models import Action, AuditEvent
from sso.openid_connect import SignatureCheckingAdapter

from .conftest import (
    CLIENT_ID,
    PROVIDER_ID,
    at_provider,
    back_at_recognise,
    sign_in_with_provider,
)

ADDRESS = "bea@northshire.police.uk"


def refused(response, client, status=400):
    assert response.status_code == status, response.content.decode()[:2000]
    assert "could not be signed in" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(email=ADDRESS).exists()
    return AuditEvent.objects.filter(action=Action.SSO_REFUSED).latest("pk")


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"expires_in": -120}, "expired"),
        ({"aud": "someone-else"}, "audience"),
        ({"iss": "https://login.example.org/other-tenant/v2.0"}, "issuer"),
    ],
)
def test_an_id_token_recognise_may_not_accept_is_refused(
    client, sign_in_link, provider, claims, why
):
    sign_in_link()
    provider.person("bea", email=ADDRESS, email_verified=True, **claims)

    response = sign_in_with_provider(client, ADDRESS, "bea")

    event = refused(response, client)
    assert "Invalid id_token" in event.data["reason"]


def test_an_id_token_signed_with_another_key_is_refused(sign_in_link, provider):
    """Minted here, with the provider's key id but another key: checked against the keys
    the provider publishes."""
    sign_in = sign_in_link()
    request = RequestFactory().get("/")
    adapter = SignatureCheckingAdapter(request, PROVIDER_ID)
    kid = provider_key_id(adapter)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {
        "iss": adapter.openid_config["issuer"],
        "aud": CLIENT_ID,
        "sub": "1",
        "iat": now,
        "exp": now + 300,
        "email": ADDRESS,
        "email_verified": True,
    }
    forged = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": kid})

    with pytest.raises(OAuth2Error):
        adapter._decode_id_token(sign_in.app, forged)


def provider_key_id(adapter):
    import requests  # noqa: PLC0415 (only this test reads the provider's keys itself)

    keys = requests.get(adapter.openid_config["jwks_uri"], timeout=10).json()["keys"]
    return keys[0]["kid"]


def test_a_state_used_twice_is_refused(client, sign_in_link, provider):
    sign_in_link()
    provider.person("bea", email=ADDRESS, email_verified=True)
    response = client.post(reverse("account_login"), {"login": ADDRESS})
    location = at_provider(response["Location"], "bea")
    assert back_at_recognise(client, location).status_code == 302
    client.logout()

    replayed = back_at_recognise(client, location)

    assert replayed.status_code == 400
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action=Action.SSO_REFUSED).exists()


def test_a_callback_nobody_started_is_refused(client, sign_in_link):
    sign_in_link()
    url = reverse("openid_connect_callback", kwargs={"provider_id": PROVIDER_ID})

    response = client.get(url, {"code": "made-up", "state": "made-up"})

    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_declining_at_the_provider_signs_nobody_in(client, sign_in_link, provider):
    sign_in_link()
    provider.person("bea", email=ADDRESS, email_verified=True)
    response = client.post(reverse("account_login"), {"login": ADDRESS})

    response = back_at_recognise(client, at_provider(response["Location"], "bea", consent=False))

    assert response.status_code in (302, 400)
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(email=ADDRESS).exists()


def test_a_provider_that_does_not_answer_is_explained(client, sign_in_link, running_provider):
    sign_in_link()
    running_provider.stop()

    response = client.post(reverse("account_login"), {"login": ADDRESS})

    assert response.status_code == 200
    assert "not answering" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.SSO_REFUSED).exists()
    url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    response = client.post(url)
    assert response.status_code == 200
    assert "not answering" in response.content.decode()


def test_a_provider_that_stops_answering_before_the_code_is_exchanged(
    client, sign_in_link, running_provider
):
    sign_in_link()
    running_provider.person("bea", email=ADDRESS, email_verified=True)
    response = client.post(reverse("account_login"), {"login": ADDRESS})
    location = at_provider(response["Location"], "bea")
    running_provider.stop()

    response = back_at_recognise(client, location)

    refused(response, client, status=200)
