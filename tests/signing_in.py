"""Signing in as a person would: through allauth's forms, with real TOTP codes."""

import re

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from recognise.accounts.totp import current_totp_code
from tests.factories import PASSWORD


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def enrol_totp(user):
    """Give the user an authenticator; returns its secret so the test can make codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in_with_totp(client, user, secret, password=PASSWORD):
    response = sign_in(client, user.email, password)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})


def links_in(text):
    return re.findall(r"https?://[^\s\"'<>]+", text)
