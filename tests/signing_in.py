"""Signing in as a person would: through allauth's forms, with real TOTP codes."""

import re
import time
from urllib.parse import urlencode

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.totp import current_totp_code
from tests.factories import PASSWORD

# Whose records they are (allauth keeps them only for the user it recorded them for).
AUTHENTICATION_METHODS_USER_KEY = "account_authentication_methods_user"


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
    """Sign in with the password and a code; the session then records the second factor
    as allauth records it, which staff areas ask for."""
    response = sign_in(client, user.email, password)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    if response.status_code == 302:
        assert session_passed_second_factor(client)
    return response


def pass_second_factor(client, secret, next_url="/"):
    """In a session already signed in (say with force_login), pass allauth's
    second-factor step with a real code, as staff are asked to before a staff area."""
    response = client.post(
        reverse("mfa_reauthenticate") + "?" + urlencode({"next": next_url}),
        {"code": totp_code(secret)},
    )
    assert response.status_code == 302, response
    assert session_passed_second_factor(client)
    return response


def session_passed_second_factor(client):
    """Whether the client's session holds allauth's record of a second-factor step."""
    session = client.session
    if session.get(AUTHENTICATION_METHODS_USER_KEY) != session.get(SESSION_KEY):
        return False
    records = session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    return any(record.get("method") == "mfa" for record in records)


def links_in(text):
    return re.findall(r"https?://[^\s\"'<>]+", text)
