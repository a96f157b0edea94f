import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory, UserFactory
from tests.query_budgets import queries_for
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


def test_profile_shows_role_and_organisation(client):
    force = OrganisationFactory(name="Northern Force")
    unit = OrganisationFactory(name="Exploitation Unit", parent=force)
    user = UserFactory(role="Learner", organisation=unit, display_name="Sam Officer")
    sign_in(client, user.email)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert "Sam Officer" in page
    assert user.email in page
    assert "Learner" in page
    assert "Exploitation Unit (Northern Force)" in page
    assert "Two-factor authentication is off." in page


def test_user_can_change_their_display_name(client, learner):
    sign_in(client, learner.email)
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "  Jo Practitioner ", "preferred_language": "en"},
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.display_name == "Jo Practitioner"
    assert (
        "Your details have been updated."
        in client.get(reverse("accounts:profile")).content.decode()
    )


@pytest.mark.parametrize("name", ["", "   ", "x" * 151])
def test_invalid_display_name_shows_a_field_error_and_keeps_the_old_name(client, learner, name):
    old_name = learner.display_name
    sign_in(client, learner.email)
    response = client.post(
        reverse("accounts:profile"), {"display_name": name, "preferred_language": "en"}
    )
    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    learner.refresh_from_db()
    assert learner.display_name == old_name


def test_profile_needs_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_profile_shows_only_the_signed_in_users_own_details(client, learner):
    other = UserFactory(display_name="Someone Else Entirely", organisation=OrganisationFactory())
    sign_in(client, learner.email)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert other.email not in page
    assert "Someone Else Entirely" not in page


@pytest.mark.parametrize("memberships", [1, 6])
def test_profile_query_count_does_not_grow_with_memberships(client, memberships, production_cache):
    user = UserFactory(role="Trainer")
    for _ in range(memberships):
        OrganisationFactory().memberships.create(user=user)
    client.force_login(user)
    assert queries_for(client, reverse("accounts:profile")) == PROFILE_QUERIES


# Budget for a trainer's profile page; the same with one organisation or several.
PROFILE_QUERIES = 1
