"""Signing in as a person would: through allauth's forms, with real TOTP codes."""

import re
import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from recognise.accounts.totp import current_totp_code
from tests.factories import PASSWORD


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def totp_code(secret, margin=2.0):
    """The authenticator's current code, still valid when the request reaches the server.

    The server accepts only the code of the current 30-second period, so a code read in the
    last moments of a period would be refused by the time it arrives; wait for the next one,
    as a person would.
    """
    period = mfa_settings.TOTP_PERIOD
    remaining = period - time.time() % period
    if remaining < margin:
        time.sleep(remaining + 0.05)
    return current_totp_code(secret)


def enrol_totp(user):
    """Give the user an authenticator; returns its secret so the test can make codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in_with_totp(client, user, secret, password=PASSWORD):
    response = sign_in(client, user.email, password)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})


def links_in(text):
    return re.findall(r"https?://[^\s\"'<>]+", text)
