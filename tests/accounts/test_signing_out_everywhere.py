"""Signing out, deactivation and a new password end a person's other sessions."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


def is_signed_in(client):
    return client.get(reverse("learning:my_learning")).status_code == 200


def two_devices(learner):
    laptop, phone = Client(), Client()
    sign_in(laptop, learner.email)
    sign_in(phone, learner.email)
    assert is_signed_in(laptop) and is_signed_in(phone)
    return laptop, phone


def test_signing_out_on_one_device_signs_out_on_every_device(learner):
    laptop, phone = two_devices(learner)
    laptop.post(reverse("account_logout"))
    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)


def test_deactivating_an_account_ends_its_sessions(learner):
    laptop, phone = two_devices(learner)
    other = Client()
    sign_in(other, UserFactory(role="Learner").email)
    learner.is_active = False
    learner.save()
    assert not is_signed_in(laptop) and not is_signed_in(phone)
    assert is_signed_in(other)


def test_a_new_password_keeps_this_device_and_ends_the_others(learner):
    laptop, phone = two_devices(learner)
    response = laptop.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-brand-new-passphrase",
            "password2": "a-brand-new-passphrase",
        },
    )
    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
