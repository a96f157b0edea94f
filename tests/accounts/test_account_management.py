import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-2026"


def test_password_change_needs_the_old_password_and_a_strong_new_one(client, learner):
    sign_in(client, learner.email)
    url = reverse("account_change_password")

    response = client.post(
        url, {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert "oldpassword" in response.context["form"].errors

    response = client.post(
        url, {"oldpassword": PASSWORD, "password1": "short", "password2": "short"}
    )
    assert "password1" in response.context["form"].errors

    response = client.post(
        url, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)


def test_changing_email_asks_for_the_password_again(client, learner):
    sign_in(client, learner.email)
    # Sign-in alone is not a recent re-authentication for account changes.
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "new.address@example.org"}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="new.address@example.org").exists()

    # Once the password is given again, allauth carries out the change that was asked for.
    client.post(response.url, {"password": PASSWORD})
    added = EmailAddress.objects.get(email="new.address@example.org")
    assert added.user == learner
    assert not added.verified


def test_changing_to_a_taken_email_is_refused(client, learner):
    UserFactory(email="taken@example.org")
    sign_in(client, learner.email)
    client.get(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "taken@example.org"}
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not EmailAddress.objects.filter(user=learner, email="taken@example.org").exists()
