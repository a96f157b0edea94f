"""Each signed-in user's row is kept in the cache between requests; a change to the
account must still bite on the very next request, and the password hash never leaves
the database."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_redis import get_redis_connection

from accounts.backends import user_version
from accounts.models import User
from accounts.new_learners import create_learners
from accounts.roles import roles_for, user_groups_version
from core.cache_versions import version_key
from tests.factories import PASSWORD, UserFactory
from tests.query_budgets import counting_queries
from tests.signing_in import sign_in

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


def everything_in_the_cache():
    """The stored bytes of every entry the test put in Redis, as someone who can read
    Redis would find them."""
    redis = get_redis_connection("default")
    prefix = cache.make_key("")
    keys = [key for key in redis.scan_iter(match=f"{prefix}*") if redis.type(key) == b"string"]
    return dict(zip(keys, redis.mget(keys), strict=True))


def test_the_kept_user_holds_no_password_hash(learner_signed_in):
    learner, _client = learner_signed_in
    stored = User.objects.get(pk=learner.pk).password
    algorithm, salt, digest = stored.split("$")
    entries = everything_in_the_cache()
    # The kept user is there to be read...
    assert any(learner.email.encode() in value for value in entries.values())
    # ...but neither the hash nor its parts are.
    for key, value in entries.items():
        for secret in (stored, salt, digest):
            assert secret.encode() not in value, key


def test_a_password_changed_on_the_site_keeps_this_session_and_ends_the_others(
    production_cache, learner
):
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        sign_in(device, learner.email)
        # Twice: the second request reads the user kept in the cache.
        assert my_learning(device).status_code == 200
        assert my_learning(device).status_code == 200
    change_password = reverse("account_change_password")
    new_password = "a-brand-new-passphrase"

    # The current password is checked against the database's hash.
    wrong = laptop.post(
        change_password,
        {"oldpassword": "not-the-password", "password1": new_password, "password2": new_password},
    )
    assert wrong.status_code == 200
    assert my_learning(laptop).status_code == 200
    response = laptop.post(
        change_password,
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302

    assert my_learning(laptop).status_code == 200
    assert my_learning(laptop).status_code == 200
    assert my_learning(phone).status_code == 302
    assert sign_in(Client(), learner.email, new_password).status_code == 302
    assert not Client().login(email=learner.email, password=PASSWORD)


def test_accounts_made_in_bulk_start_with_new_versions_and_the_learner_role(production_cache):
    """Learner accounts made many at once (a platform's roster) skip the save signals, so
    they must start new cache versions themselves, as a saved account does."""
    [learner] = create_learners([("bulk.learner@example.org", "Bulk Learner")])

    assert cache.get(version_key(user_version(learner.pk))) is not None
    assert cache.get(version_key(user_groups_version(learner.pk))) is not None
    client = Client()
    client.force_login(learner)
    assert my_learning(client).status_code == 200
    assert roles_for(User.objects.get(pk=learner.pk)).names == {"Learner"}
