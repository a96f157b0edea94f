"""Launches Recognise refuses: each ends on a 4xx page that says why, with an audit
entry, and nobody is signed in or created. Never a server error."""

import time

import pytest
from django.urls import reverse

from accounts.models import User
from audit.models import Action, AuditEvent

from .conftest import initiate, launch
from .platform import CLAIM

pytestmark = pytest.mark.django_db


def refused_with(response, words, status=400):
    assert response.status_code == status
    assert words in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.LTI_LAUNCH_REFUSED).count() == 1
    assert not User.objects.exists()
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize(
    ("claims", "words"),
    [
        ({"exp": int(time.time()) - 120, "iat": int(time.time()) - 600}, "expired"),
        ({"aud": "another-tool"}, "not registered with Recognise"),
        ({CLAIM + "deployment_id": "deployment-9"}, "deployment is not registered"),
        ({"iss": "https://elsewhere.example"}, "not registered with Recognise"),
        ({CLAIM + "version": "1.1"}, "could not be checked"),
    ],
    ids=["expired", "wrong-audience", "unknown-deployment", "wrong-issuer", "bad-version"],
)
def test_a_launch_with_a_wrong_claim_is_refused(client, platform, registered, claims, words):
    refused_with(launch(client, platform, registered, **claims), words)


def test_a_nonce_recognise_did_not_issue_is_refused(client, platform, registered):
    response = launch(
        client, platform, registered, token=lambda nonce: platform.id_token("made-up-nonce")
    )
    refused_with(response, "nonce is not one Recognise issued")


def test_a_state_that_does_not_match_is_refused(client, platform, registered):
    asked = initiate(client, platform, registered)
    response = client.post(
        reverse("lti:launch"),
        {"id_token": platform.id_token(asked["nonce"]), "state": "state-of-someone-else"},
    )
    refused_with(response, "state does not match")


def test_a_replayed_id_token_is_refused(client, platform, registered):
    asked = initiate(client, platform, registered)
    posted = {"id_token": platform.id_token(asked["nonce"]), "state": asked["state"]}
    first = client.post(reverse("lti:launch"), posted)
    # The first launch names no course, so it is refused too; what matters is the second.
    assert first.status_code == 400
    AuditEvent.objects.all().delete()

    second = client.post(reverse("lti:launch"), posted)

    assert second.status_code == 400
    assert "already been used" in second.content.decode()
    assert AuditEvent.objects.filter(action=Action.LTI_LAUNCH_REFUSED).count() == 1


@pytest.mark.parametrize(
    "posted",
    [
        {},
        {"id_token": "not-a-token", "state": "x"},
        {"id_token": "a.b.c", "state": "x"},
        {"state": "x"},
    ],
)
def test_garbage_is_refused_without_a_server_error(client, posted):
    response = client.post(reverse("lti:launch"), posted)
    assert response.status_code == 400
    assert AuditEvent.objects.filter(action=Action.LTI_LAUNCH_REFUSED).count() == 1


def test_login_initiation_for_an_unknown_registration_or_issuer_is_refused(
    client, platform, registered
):
    unknown = client.get(
        reverse("lti:login", args=["00000000-0000-0000-0000-000000000000"]),
        {"iss": platform.issuer, "login_hint": "7", "target_link_uri": "x"},
    )
    assert unknown.status_code == 400
    wrong_issuer = client.get(
        reverse("lti:login", args=[registered.registration.uuid]),
        {"iss": "https://elsewhere.example", "login_hint": "7", "target_link_uri": "x"},
    )
    assert wrong_issuer.status_code == 400
    assert AuditEvent.objects.filter(action=Action.LTI_LAUNCH_REFUSED).count() == 2


def test_a_disabled_registration_takes_no_launch(client, platform, registered):
    registered.registration.is_active = False
    registered.registration.save()
    response = client.get(
        reverse("lti:login", args=[registered.registration.uuid]),
        {"iss": platform.issuer, "login_hint": "7", "target_link_uri": "x"},
    )
    assert response.status_code == 400
