"""Signing in with an organisation's own identity provider, a real OpenID Connect
provider started for the tests: the account made just in time, and who it may not be."""

from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY

from accounts.models import Membership, User
from accounts.roles import LEARNER
from audit.models import Action, AuditEvent
from tests.factories import UserFactory

from .conftest import sign_in_with_provider


def signed_in_user(client):
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


def test_first_sign_in_makes_a_learner_in_the_organisation(client, sign_in_link, provider):
    sign_in_link()
    provider.person(
        "ada", email="ada.lovelace@northshire.police.uk", email_verified=True, name="Ada Lovelace"
    )

    response = sign_in_with_provider(client, "ada.lovelace@northshire.police.uk", "ada")

    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/"
    user = signed_in_user(client)
    assert user.email == "ada.lovelace@northshire.police.uk"
    assert user.display_name == "Ada Lovelace"
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, organisation__slug="northshire-police").exists()
    assert list(user.groups.values_list("name", flat=True)) == [LEARNER]
    assert SocialAccount.objects.get(user=user).provider == "northshire"


def test_an_existing_account_is_never_signed_in_by_the_provider(client, sign_in_link, provider):
    sign_in_link()
    owner = UserFactory(email="grace@northshire.police.uk")
    # The provider (or whoever controls it) asserts the owner's address.
    provider.person("mallory", email="grace@northshire.police.uk", email_verified=True)

    response = sign_in_with_provider(client, "grace@northshire.police.uk", "mallory")

    assert response.status_code == 403
    assert "Sign in with your password" in response.content.decode()
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.filter(user=owner).exists()
    assert AuditEvent.objects.filter(action=Action.SSO_REFUSED).exists()
