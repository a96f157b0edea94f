"""When a sign-in at an organisation's provider counts as staff's second factor: only
when the organisation trusts the provider's multi-factor authentication and this sign-in's
id_token says it was used (amr, or an acr value the administrator listed)."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import TRAINER
from sso.claims import used_multi_factor

from .conftest import sign_in_with_provider

ADDRESS = "tess@northshire.police.uk"


def trainer_signed_in_with_provider(provider, **claims):
    """Tess's first sign-in makes her account; she is made a trainer; then she signs in
    again, in a new browser, with the claims the test gives."""
    provider.person("tess", email=ADDRESS, email_verified=True, name="Tess Trainer")
    first = Client()
    assert sign_in_with_provider(first, ADDRESS, "tess").status_code == 302
    User.objects.get(email=ADDRESS).groups.add(Group.objects.get(name=TRAINER))
    provider.person("tess", email=ADDRESS, email_verified=True, name="Tess Trainer", **claims)
    client = Client()
    assert sign_in_with_provider(client, ADDRESS, "tess").status_code == 302
    return client


def reaches_trainer_pages(client):
    response = client.get(reverse("cohorts:overview"))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("mfa_activate_totp"))
        return False
    assert response.status_code == 200
    return True


@pytest.mark.parametrize(
    ("trusted", "claims", "passes"),
    [
        (True, {"amr": ["pwd", "mfa"]}, True),
        (True, {"amr": ["pwd", "otp"]}, True),
        (True, {"acr": "urn:northshire:loa:mfa"}, True),
        (True, {"amr": ["pwd"]}, False),
        (True, {}, False),
        (True, {"acr": "urn:northshire:loa:password"}, False),
        (False, {"amr": ["pwd", "mfa"]}, False),
        (False, {"acr": "urn:northshire:loa:mfa"}, False),
    ],
)
def test_the_provider_s_mfa_counts_only_when_trusted_and_asserted(
    sign_in_link, provider, trusted, claims, passes
):
    sign_in_link(trust_provider_mfa=trusted, trusted_acr_values="urn:northshire:loa:mfa")

    client = trainer_signed_in_with_provider(provider, **claims)

    assert reaches_trainer_pages(client) is passes


def test_learners_signed_in_by_the_provider_need_no_second_factor(sign_in_link, provider):
    sign_in_link()
    provider.person("lou", email="lou@northshire.police.uk", email_verified=True)
    client = Client()
    sign_in_with_provider(client, "lou@northshire.police.uk", "lou")

    assert client.get(reverse("learning:my_learning")).status_code == 200


@pytest.mark.parametrize(
    ("claims", "acr_values", "expected"),
    [
        ({"amr": ["mfa"]}, (), True),
        ({"amr": "mfa"}, (), True),
        ({"amr": ["pwd", "hwk"]}, (), True),
        ({"amr": ["swk", "pin"]}, (), True),
        ({"amr": ["otp"]}, (), False),
        ({"amr": ["hwk"]}, (), False),
        ({"amr": ["pwd", "rsa"]}, (), False),
        ({"acr": "gold"}, ("gold",), True),
        ({"acr": "silver"}, ("gold",), False),
        ({}, (), False),
    ],
)
def test_which_claims_mean_multi_factor(claims, acr_values, expected):
    assert used_multi_factor(claims, acr_values) is expected
