"""Wrong passwords are counted per client address and per (client address, account), so a
stranger's guesses never keep an account's owner out; wrong second-factor codes are
limited per client address and per account."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.signing_in import enrol_totp, totp_code

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.66"
OWNER = "198.51.100.10"


def sign_in_from(client, address, email, password=PASSWORD):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


def guess(client, address, email, times):
    for _ in range(times):
        sign_in_from(client, address, email, "a-wrong-guess-entirely")


def test_a_strangers_wrong_passwords_do_not_lock_the_owner_out(learner):
    stranger, owner = Client(), Client()
    guess(stranger, STRANGER, learner.email, 5)

    response = sign_in_from(owner, OWNER, learner.email)
    assert response.status_code == 302
    assert owner.get(reverse("accounts:profile"), REMOTE_ADDR=OWNER).status_code == 200

    # The stranger's address is refused, even the right password.
    refused = sign_in_from(stranger, STRANGER, learner.email)
    assert refused.status_code == 200
    assert "Too many failed login attempts" in refused.content.decode()
    assert stranger.get(reverse("accounts:profile")).status_code == 302


def test_staff_owner_still_signs_in_with_password_and_code_after_a_strangers_guesses():
    editor = UserFactory(role="NGO editor")
    secret = enrol_totp(editor)
    guess(Client(), STRANGER, editor.email, 6)

    owner = Client(REMOTE_ADDR=OWNER)
    response = sign_in_from(owner, OWNER, editor.email)
    assert response.url == reverse("mfa_authenticate")
    owner.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert owner.get("/admin/").status_code == 200


def test_guesses_from_one_address_are_limited_across_accounts_and_lock_none_of_them():
    people = [UserFactory() for _ in range(6)]
    stranger = Client()
    guess(stranger, STRANGER, people[0].email, 5)
    for person in people[1:5]:
        guess(stranger, STRANGER, person.email, 1)
    guess(stranger, STRANGER, people[5].email, 1)  # the tenth this minute

    refused = sign_in_from(stranger, STRANGER, people[5].email, PASSWORD)
    assert "Too many failed login attempts" in refused.content.decode()
    # Their owners, elsewhere, are not held up.
    assert sign_in_from(Client(), OWNER, people[0].email).status_code == 302
    assert sign_in_from(Client(), OWNER, people[5].email).status_code == 302


def test_wrong_codes_are_limited_per_client_address_across_accounts():
    """Ten wrong codes a minute from one address, whichever accounts they are for."""
    stranger = Client(REMOTE_ADDR=STRANGER)
    for _ in range(5):
        editor = UserFactory(role="NGO editor")
        secret = enrol_totp(editor)
        wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
        stranger.logout()
        sign_in_from(stranger, STRANGER, editor.email)
        for _ in range(2):
            stranger.post(reverse("mfa_authenticate"), {"code": wrong}, REMOTE_ADDR=STRANGER)

    response = stranger.post(
        reverse("mfa_authenticate"), {"code": totp_code(secret)}, REMOTE_ADDR=STRANGER
    )
    assert "Too many" in response.content.decode()
    assert stranger.get("/admin/", REMOTE_ADDR=STRANGER).status_code == 302


def test_the_second_factor_step_in_a_signed_in_session_is_rate_limited(client, plain_429):
    trainer = UserFactory(role="Trainer")
    secret = enrol_totp(trainer)
    client.force_login(trainer)
    step = reverse("mfa_reauthenticate")
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    statuses = [client.post(step, {"code": wrong}).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    response = client.post(step, {"code": totp_code(secret)})
    assert response.status_code == 429
    assert client.get(reverse("cohorts:overview")).status_code == 302
