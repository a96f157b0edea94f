"""After signing in, each person lands where their work is, unless they were going
somewhere."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

pytestmark = pytest.mark.django_db


def test_learner_lands_on_my_learning(client, learner):
    response = sign_in(client, learner.email)
    assert response.status_code == 302
    assert response.url == reverse("learning:my_learning")


def test_learner_going_somewhere_is_taken_there(client, learner):
    response = client.post(
        reverse("account_login") + "?next=/en/courses/",
        {"login": learner.email, "password": PASSWORD},
    )
    assert response.url == "/en/courses/"


def test_learner_is_never_sent_to_another_site(client, learner):
    response = client.post(
        reverse("account_login") + "?next=https://evil.example/",
        {"login": learner.email, "password": PASSWORD},
    )
    assert response.url == reverse("learning:my_learning")


def test_trainer_lands_on_their_cohorts(client):
    trainer = UserFactory(role="Trainer")
    response = sign_in_with_totp(client, trainer, enrol_totp(trainer))
    assert response.url == reverse("cohorts:overview")


@pytest.mark.parametrize("role", ["NGO editor", "Safeguarding reviewer", "Publisher"])
def test_editors_and_reviewers_land_on_the_admin_dashboard(client, role):
    editor = UserFactory(role=role)
    response = sign_in_with_totp(client, editor, enrol_totp(editor))
    assert response.url == reverse("wagtailadmin_home")
