"""Password reset goes through allauth only, and says nothing about who has an account."""

import time
from types import SimpleNamespace

import pytest
from allauth.core.internal import ratelimit
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_reset(client, email, **extra):
    return client.post(reverse("account_reset_password"), {"email": email}, **extra)


@pytest.mark.parametrize(
    "url_name", ["wagtailadmin_password_reset", "wagtailadmin_password_reset_done"]
)
def test_wagtails_own_password_reset_is_closed(client, url_name):
    # A missing admin address is sent on to the same address under /en/, and is missing there.
    assert client.get(reverse(url_name), follow=True).status_code == 404


def test_wagtails_own_password_reset_sends_no_mail(client):
    learner = UserFactory()
    response = client.post(
        reverse("wagtailadmin_password_reset"), {"email": learner.email}, follow=True
    )
    assert response.status_code == 404
    assert mail.outbox == []


def test_reset_answers_the_same_for_an_address_with_and_without_an_account(client):
    UserFactory(email="holder@example.org")

    for_holder = request_reset(client, "holder@example.org")
    for_nobody = request_reset(client, "nobody@example.org")

    assert for_holder.status_code == for_nobody.status_code == 302
    assert for_holder.url == for_nobody.url == reverse("account_reset_password_done")
    done = client.get(for_nobody.url).content.decode()
    assert "nobody@example.org" not in done


def test_reset_mails_the_address_either_way(client):
    UserFactory(email="holder@example.org")
    request_reset(client, "holder@example.org")
    request_reset(client, "nobody@example.org")

    to_holder, to_nobody = mail.outbox
    assert to_holder.to == ["holder@example.org"]
    assert "/accounts/password/reset/key/" in to_holder.body
    # The address with no account is told so, in a mail only its owner reads.
    assert to_nobody.to == ["nobody@example.org"]
    assert "/accounts/password/reset/key/" not in to_nobody.body
    assert "/accounts/signup/" in to_nobody.body


def test_reset_requests_are_limited_per_email_address(client, plain_429, monkeypatch):
    """Five a minute and ten an hour to one address, from whichever client addresses."""
    clock = [time.time()]
    # Only the rate limits' clock moves on; the cache keeps its own.
    monkeypatch.setattr(
        ratelimit,
        "time",
        SimpleNamespace(time=lambda: clock[0], monotonic=time.monotonic, sleep=time.sleep),
    )
    UserFactory(email="holder@example.org")
    addresses = iter(f"192.0.2.{n}" for n in range(1, 100))

    def ask():
        return request_reset(client, "holder@example.org", REMOTE_ADDR=next(addresses))

    assert [ask().status_code for _ in range(6)] == [302] * 5 + [429]
    clock[0] += 61
    assert [ask().status_code for _ in range(6)] == [302] * 5 + [429]
    clock[0] += 61
    assert ask().status_code == 429  # the hour's ten are used
    assert len(mail.outbox) == 10
    # Another email address is not held up.
    assert request_reset(client, "other@example.org", REMOTE_ADDR="192.0.2.1").status_code == 302


def test_reset_requests_are_limited_per_client_address(client, plain_429):
    statuses = [
        request_reset(client, f"person{n}@example.org", REMOTE_ADDR="198.51.100.7").status_code
        for n in range(21)
    ]
    assert statuses == [302] * 20 + [429]
    assert request_reset(client, "late@example.org", REMOTE_ADDR="198.51.100.8").status_code == 302
