import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


def fail_to_sign_in(client, email, times):
    for _ in range(times):
        response = sign_in(client, email, "wrong-password-entirely")
        assert response.status_code in (200, 429)


def test_site_sign_in_locks_an_account_after_repeated_failures(client):
    user = UserFactory()
    fail_to_sign_in(client, user.email, 5)
    response = sign_in(client, user.email)
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_admin_sign_in_is_rate_limited_like_the_site_sign_in(client):
    editor = UserFactory(role="NGO editor")
    # The admin's login address leads to the same form...
    login_page = client.get("/admin/login/", follow=True)
    assert login_page.redirect_chain[-1][0].startswith(reverse("account_login"))

    fail_to_sign_in(client, editor.email, 5)
    # ...so failures there lock the account for the admin as well.
    response = sign_in(client, editor.email)
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_rate_limit_counts_are_kept_in_the_shared_cache(settings):
    # Per-process memory would let each gunicorn worker count separately.
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }
