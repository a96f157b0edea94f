"""Each signed-in user's row is kept in the cache between requests; a change to the
account must still bite on the very next request."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory
from tests.query_budgets import counting_queries

pytestmark = pytest.mark.django_db


def my_learning(client):
    return client.get(reverse("learning:my_learning"))


@pytest.fixture
def learner_signed_in(production_cache):
    learner = UserFactory(role="Learner")
    client = Client()
    client.force_login(learner)
    assert my_learning(client).status_code == 200  # the row is kept from here on
    return learner, client


def test_the_user_is_not_read_from_the_database_again(learner_signed_in):
    _learner, client = learner_signed_in
    with counting_queries() as queries:
        assert my_learning(client).status_code == 200
    assert not [query for query in queries.counted if '"accounts_user"' in query["sql"]]


def test_a_deactivated_account_is_signed_out_on_the_next_request(learner_signed_in):
    learner, client = learner_signed_in
    learner.is_active = False
    learner.save()
    response = my_learning(client)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_new_password_set_elsewhere_ends_the_session_on_the_next_request(
    learner_signed_in,
):
    learner, client = learner_signed_in
    # An administrator, say, sets a new password on another server.
    account = User.objects.get(pk=learner.pk)
    account.set_password("a-password-set-by-an-administrator")
    account.save()
    assert my_learning(client).status_code == 302


def test_a_changed_name_shows_on_the_next_page(learner_signed_in):
    learner, client = learner_signed_in
    account = User.objects.get(pk=learner.pk)
    account.display_name = "Rhiannon Price"
    account.save()
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'value="Rhiannon Price"' in page


def test_a_deleted_account_is_signed_out(learner_signed_in):
    learner, client = learner_signed_in
    User.objects.get(pk=learner.pk).delete()
    assert my_learning(client).status_code == 302
