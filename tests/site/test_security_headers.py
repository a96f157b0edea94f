import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/en/", "/en/accounts/login/", "/en/verify/", "/en/no-such-page/"])
def test_site_pages_have_a_strict_policy(client, url):
    response = client.get(url)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy.get("style-src", [])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_learner_and_trainer_pages_have_the_strict_policy(client):
    learner = UserFactory(role="Learner")
    sign_in(client, learner.email)
    assert (
        "'unsafe-inline'"
        not in directives(client.get(reverse("learning:my_learning")))["script-src"]
    )
    client.post(reverse("account_logout"))
    trainer = UserFactory(role="Trainer")
    sign_in_with_totp(client, trainer, enrol_totp(trainer))
    response = client.get(reverse("cohorts:overview"))
    assert (
        response.status_code == 403 or "'unsafe-inline'" not in directives(response)["script-src"]
    )


def test_the_admin_policy_relaxes_only_inline_scripts_and_styles(client):
    editor = UserFactory(role="NGO editor")
    sign_in_with_totp(client, editor, enrol_totp(editor))
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_session_and_csrf_cookies(client):
    learner = UserFactory(role="Learner")
    client.get(reverse("account_login"))
    sign_in(client, learner.email)
    session = client.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    csrf = client.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"


def test_site_pages_cannot_be_framed_but_admin_previews_can(client):
    assert client.get("/en/")["X-Frame-Options"] == "DENY"
    editor = UserFactory(role="NGO editor")
    sign_in_with_totp(client, editor, enrol_totp(editor))
    assert client.get("/admin/")["X-Frame-Options"] == "SAMEORIGIN"
