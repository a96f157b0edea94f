"""allauth's pages in the site's design and language: Welsh throughout on /cy/, sentence
case in English, the error summary on a form sent back, one primary button."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.webauthn.internal.flows import auth as webauthn_auth
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from core.rate_limits import allauth_too_many_requests
from tests.accounts.account_pages import (
    english_left_on,
    page_title,
    primary_buttons,
    visible_text,
)
from tests.factories import PASSWORD, UserFactory
from tests.signing_in import enrol_totp, sign_in

pytestmark = pytest.mark.django_db

# Pages anyone can open, and what each is called by allauth.
PUBLIC_PAGES = [
    ("account_login", {}),
    ("account_signup", {}),
    ("account_reset_password", {}),
    ("account_reset_password_done", {}),
    ("account_email_verification_sent", {}),
    ("account_reset_password_from_key", {"uidb36": "0", "key": "not-a-key"}),
    ("account_reset_password_from_key_done", {}),
    ("account_confirm_email", {"key": "not-a-key"}),
]
# Pages for someone signed in; those that ask for the password again show the
# re-authentication page first, which is checked as it comes.
SIGNED_IN_PAGES = [
    "account_change_password",
    "account_set_password",
    "account_email",
    "account_logout",
    "account_reauthenticate",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_list_webauthn",
    "mfa_add_webauthn",
]
TOTP_PAGES = [
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_reauthenticate",
]


def url_in(language, name, kwargs=None):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def open_page(client, language, name, kwargs=None):
    response = client.get(url_in(language, name, kwargs), follow=True)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def assert_in_welsh(html, name):
    assert '<html lang="cy">' in html, name
    assert english_left_on(html) == [], (name, english_left_on(html))


def assert_one_primary_button_at_most(html, name):
    assert len(primary_buttons(html)) <= 1, (name, primary_buttons(html))


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_public_account_pages_are_welsh_on_cy(client, name, kwargs):
    html = open_page(client, "cy", name, kwargs)
    assert_in_welsh(html, name)
    assert_one_primary_button_at_most(html, name)
    assert "placeholder=" not in html


def test_signed_in_account_pages_are_welsh_on_cy(client):
    user = UserFactory()
    client.force_login(user)
    for name in SIGNED_IN_PAGES:
        html = open_page(client, "cy", name)
        assert_in_welsh(html, name)
        assert_one_primary_button_at_most(html, name)
        assert "placeholder=" not in html


def test_second_factor_pages_are_welsh_on_cy(client):
    user = UserFactory()
    enrol_totp(user)
    # Signing in with the password opens the second step; it is shown in Welsh.
    assert sign_in(client, user.email).url == reverse("mfa_authenticate")
    html = open_page(client, "cy", "mfa_authenticate")
    assert_in_welsh(html, "mfa_authenticate")
    assert "Dilysu dau ffactor" in html

    client.logout()
    RecoveryCodes.activate(user)
    client.force_login(user)
    for name in TOTP_PAGES:
        html = open_page(client, "cy", name)
        assert_in_welsh(html, name)
        assert_one_primary_button_at_most(html, name)


def test_the_second_step_has_sign_in_as_its_one_primary_button_and_cancel_as_a_link(client):
    user = UserFactory()
    enrol_totp(user)
    sign_in(client, user.email)
    html = client.get(reverse("mfa_authenticate")).content.decode()
    (primary,) = primary_buttons(html)
    assert 'type="submit"' in primary
    text = visible_text(html)
    assert "Sign in" in text
    assert '<button type="submit" class="link-button" form="logout-from-stage">Cancel' in html
    # No security key has been added, so none is offered.
    assert "Use a security key" not in text


def test_the_second_step_offers_a_security_key_only_to_someone_who_has_one(client, monkeypatch):
    user = UserFactory()
    enrol_totp(user)
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Key", "credential": {}}
    )
    # The browser's challenge for this made-up key is beside the point here.
    monkeypatch.setattr(webauthn_auth, "begin_authentication", lambda user: {})
    sign_in(client, user.email)
    html = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Use a security key" in visible_text(html)
    assert len(primary_buttons(html)) == 1


def test_the_too_many_requests_page_is_welsh_on_cy():
    request = RequestFactory().get("/cy/accounts/login/")
    with translation.override("cy"):
        html = allauth_too_many_requests(request).content.decode()
    assert english_left_on(html) == []
    assert "Gormod o geisiadau" in html or "gormod" in html.lower()


def test_english_account_pages_speak_in_sentence_case(client):
    first_step = visible_text(open_page(client, "en", "account_login"))
    assert "Sign in" in first_step and "Sign In" not in first_step
    # The sign-in page asks for the email address first, then the password (sso/forms.py).
    password_step = client.post(url_in("en", "account_login"), {"login": "someone@example.org"})
    login = visible_text(password_step.content.decode())
    assert "Sign in" in login and "Remember me" in login
    assert "Sign In" not in login and "Remember Me" not in login
    assert "Forgotten your password?" in login
    signup_page = open_page(client, "en", "account_signup")
    assert page_title(signup_page).startswith("Sign up")
    assert "Sign Up" not in visible_text(signup_page)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_sign_up_sent_back_has_the_error_summary_first(client, language):
    response = client.post(
        url_in(language, "account_signup"),
        {"email": "not-an-address", "password1": "1234", "password2": "1234", "display_name": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert page_title(html).startswith("Gwall:" if language == "cy" else "Error:")
    summary_at = html.index('class="error-summary"')
    assert summary_at < html.index("<h1")
    assert 'tabindex="-1" autofocus' in html[summary_at - 10 : summary_at + 200]
    assert 'href="#id_email"' in html and 'href="#id_password1"' in html
    assert len(primary_buttons(html)) == 1
    if language == "cy":
        # Django's password rules are in Welsh too.
        assert "Mae’r cyfrinair hwn yn rhy fyr" in html
        assert english_left_on(html) == []


def test_a_wrong_password_is_summarised_at_the_top_in_welsh(client):
    user = UserFactory()
    response = client.post(
        url_in("cy", "account_login"), {"login": user.email, "password": "wrong-password"}
    )
    html = response.content.decode()
    assert page_title(html).startswith("Gwall:")
    assert "Nid yw’r cyfeiriad e-bost neu’r cyfrinair a roesoch yn gywir." in html
    assert english_left_on(html) == []


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Hello,", "To confirm the address, open this link:", "help@recognise.test"]),
        ("cy", ["Helo,", "I gadarnhau’r cyfeiriad, agorwch y ddolen hon:", "help@recognise.test"]),
    ],
)
def test_the_verification_email_names_recognise_and_a_help_contact(client, language, words):
    client.post(
        url_in(language, "account_signup"),
        {
            "email": "new.person@example.org",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "display_name": "New Person",
        },
    )
    (message,) = mail.outbox
    assert message.subject.startswith("[Recognise] ")
    for word in words:
        assert word in message.body
    assert "Recognise" in message.body
    assert "Hello from" not in message.body and "example.com" not in message.body
    if language == "cy":
        assert message.subject == "[Recognise] Cadarnhewch eich cyfeiriad e-bost"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_password_reset_email_is_in_the_language_asked_in(client, language):
    user = UserFactory()
    client.post(url_in(language, "account_reset_password"), {"email": user.email})
    (message,) = mail.outbox
    assert "Hello from" not in message.body
    assert "help@recognise.test" in message.body
    if language == "cy":
        assert message.subject == "[Recognise] E-bost ailosod cyfrinair"
        assert "Rydych yn cael yr e-bost hwn" in message.body
    else:
        assert message.subject == "[Recognise] Password reset email"
    assert f"/{language}/accounts/password/reset/key/" in message.body


def test_password_change_sent_back_keeps_one_primary_button(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(
        url_in("cy", "account_change_password"),
        {"oldpassword": "wrong", "password1": "short", "password2": "short"},
    )
    html = response.content.decode()
    assert page_title(html).startswith("Gwall:")
    assert len(primary_buttons(html)) == 1
    assert english_left_on(html) == []
