import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
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


def test_changing_to_a_taken_email_is_refused_without_saying_so(client, learner):
    """The form answers as for any address, so nobody learns that it has an account. The
    address waits unverified and can never be confirmed for a second account: following
    the link mailed to it leaves it with its owner."""
    owner = UserFactory(email="taken@example.org")
    sign_in(client, learner.email)
    client.get(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    mail.outbox.clear()
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "taken@example.org"}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email")
    (message,) = mail.outbox
    assert message.to == ["taken@example.org"]

    link = re.search(r"https?://testserver(/\S+/confirm-email/\S+/)", message.body)[1]
    Client().post(link)
    assert not EmailAddress.objects.filter(
        user=learner, email="taken@example.org", verified=True
    ).exists()
    assert EmailAddress.objects.get_primary(learner).email == learner.email
    assert EmailAddress.objects.get(user=owner).verified
