import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp, totp_code

pytestmark = pytest.mark.django_db

STAFF_ROLES = ["Trainer", "NGO editor", "Safeguarding reviewer", "Publisher"]


def totp_secret_on_setup_page(response):
    """The secret the setup page shows for typing into an authenticator app."""
    return response.context["form"].secret


def open_totp_setup(client, password=PASSWORD):
    """Open the setup page; allauth asks for the password again before any MFA change."""
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": password})
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    return client.get(reverse("mfa_activate_totp"))


def test_trainer_without_mfa_cannot_reach_trainer_pages(client):
    user = UserFactory(role="Trainer")
    sign_in(client, user.email)
    response = client.get("/trainer/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_superuser_without_mfa_cannot_reach_the_admin(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    sign_in(client, user.email)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_learner_without_mfa_is_not_pushed_to_set_it_up(client, learner):
    sign_in(client, learner.email)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_learner_gets_403_on_the_admin(client, learner):
    sign_in(client, learner.email)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()
    assert client.get("/admin/pages/").status_code == 403


def test_learner_with_mfa_still_gets_403_on_the_admin(client, learner):
    secret = enrol_totp(learner)
    sign_in_with_totp(client, learner, secret)
    assert client.get("/admin/").status_code == 403


def test_anonymous_visitor_to_the_admin_is_sent_to_the_site_sign_in(client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=/admin/pages/" in response.url


def test_admin_login_page_is_the_site_sign_in(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=/admin/pages/"


def test_staff_with_mfa_must_enter_a_code_to_sign_in(client):
    editor = UserFactory(role="NGO editor")
    secret = enrol_totp(editor)

    response = sign_in(client, editor.email)
    assert response.url == reverse("mfa_authenticate")
    # The password alone does not sign them in.
    assert client.get("/admin/").status_code == 302

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_wrong_totp_code_is_refused_and_counted_against_the_rate_limit(client):
    editor = UserFactory(role="NGO editor")
    secret = enrol_totp(editor)
    right_code = totp_code(secret)
    wrong_code = f"{(int(right_code) + 1) % 1_000_000:06d}"

    sign_in(client, editor.email)
    response = client.post(reverse("mfa_authenticate"), {"code": wrong_code})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert client.get("/admin/").status_code == 302

    # allauth allows five failed attempts per account; after that even the right code fails.
    for _ in range(4):
        client.post(reverse("mfa_authenticate"), {"code": wrong_code})
    response = client.post(reverse("mfa_authenticate"), {"code": right_code})
    assert response.status_code in (200, 429)
    assert re.search(r"Too many", response.content.decode())
    assert client.get("/admin/").status_code == 302


def test_wrong_code_on_the_setup_page_is_refused(client):
    trainer = UserFactory(role="Trainer")
    sign_in(client, trainer.email)
    setup_page = open_totp_setup(client)
    right_code = totp_code(totp_secret_on_setup_page(setup_page))
    wrong_code = f"{(int(right_code) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_activate_totp"), {"code": wrong_code})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert not Authenticator.objects.filter(user=trainer).exists()


@pytest.mark.parametrize("code", ["", "abc", "1" * 500, "\x00"])
def test_odd_totp_input_never_causes_a_server_error(client, code):
    editor = UserFactory(role="NGO editor")
    enrol_totp(editor)
    sign_in(client, editor.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code < 500


def test_trainer_whose_second_factor_is_removed_is_stopped_on_the_next_request(
    production_cache, client
):
    """Whether a user has a second factor is kept in the cache; removing it must bite."""
    trainer = UserFactory(role="Trainer")
    sign_in_with_totp(client, trainer, enrol_totp(trainer))
    overview = reverse("cohorts:overview")
    assert client.get(overview).status_code == 200
    assert client.get(overview).status_code == 200

    Authenticator.objects.filter(user=trainer).delete()
    response = client.get(overview)
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
