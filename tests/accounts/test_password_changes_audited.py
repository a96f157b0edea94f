"""Every password change is in the audit log exactly once, whatever made it."""

import re

import pytest
from django.contrib.auth.management.commands import changepassword
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from audit.models import Action, AuditEvent
from tests.factories import PASSWORD, UserFactory
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-and-unusual-passphrase"


def password_events():
    return list(AuditEvent.objects.filter(action=Action.PASSWORD_CHANGED))


def changed_to_new_password(user):
    user.refresh_from_db()
    return user.check_password(NEW_PASSWORD)


def test_changing_ones_password_on_the_site_is_logged_once(client, learner):
    sign_in(client, learner.email)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert changed_to_new_password(learner)
    [event] = password_events()
    assert event.actor == learner
    assert event.message == "Password changed"
    assert event.ip_address == "127.0.0.1"


def test_setting_a_first_password_is_logged_once(client):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    client.post(
        reverse("account_set_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert changed_to_new_password(user)
    [event] = password_events()
    assert event.actor == user


def test_resetting_a_password_by_email_link_is_logged_once(client, learner):
    client.post(reverse("account_reset_password"), {"email": learner.email})
    (message,) = mail.outbox
    link = re.search(r"https?://testserver(/\S+/password/reset/key/\S+/)", message.body)[1]
    form = client.get(link)
    client.post(form.url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert changed_to_new_password(learner)
    [event] = password_events()
    assert event.actor == learner
    assert event.message == "Password reset by email link"


def test_an_administrator_setting_a_password_in_the_admin_is_logged_once(learner):
    admin = UserFactory(is_superuser=True, is_staff=True, display_name="Ada Admin")
    client = Client()
    sign_in_with_totp(client, admin, enrol_totp(admin))
    response = client.post(
        reverse("wagtailusers_users:edit", args=[learner.pk]),
        {
            "email": learner.email,
            "display_name": learner.display_name,
            "first_name": "",
            "last_name": "",
            "is_active": "on",
            "groups": list(learner.groups.values_list("pk", flat=True)),
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert changed_to_new_password(learner)
    [event] = password_events()
    assert event.actor == admin
    assert learner.email in event.message
    assert event.data["user_id"] == learner.pk


def test_changepassword_command_is_logged_once(learner, monkeypatch):
    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt="": NEW_PASSWORD)
    call_command("changepassword", learner.email, stdout=None)
    assert changed_to_new_password(learner)
    [event] = password_events()
    assert event.actor is None
    assert event.actor_label == "System"
    assert learner.email in event.message


def test_a_script_setting_a_password_is_logged_once(learner):
    user = User.objects.get(pk=learner.pk)
    user.set_password(NEW_PASSWORD)
    user.save()
    user.save()  # saving again changes nothing more
    [event] = password_events()
    assert event.actor is None
    assert event.data == {"user_id": learner.pk}


def test_creating_an_account_or_signing_in_is_not_a_password_change(client):
    user = User.objects.create_user(email="new@example.org", password=PASSWORD)
    user.save()
    sign_in(client, "new@example.org")
    assert password_events() == []
