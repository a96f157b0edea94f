"""Limits on costly or abusable requests, and a forged X-Forwarded-For header that cannot
reset them."""

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


def search(client, **headers):
    return client.get(reverse("search"), {"q": "missing"}, **headers)


def test_search_is_limited_per_client_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (3, 60)}
    statuses = [search(client).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = search(client)
    assert refused["Retry-After"] == "60"
    assert "Too many requests" in refused.content.decode()
    # Another address still gets through.
    assert search(client, REMOTE_ADDR="192.0.2.50").status_code == 200


def test_forged_forwarded_for_header_does_not_reset_the_count(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (2, 60)}
    # With no proxy configured the header is ignored: every request is the peer's.
    statuses = [
        search(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_behind_one_trusted_proxy_only_the_address_it_adds_counts(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (2, 60)}
    # The client forges the left-hand entries; our proxy appends the real address.
    statuses = [
        search(client, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.7").status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert search(client, HTTP_X_FORWARDED_FOR="10.9.9.1, 203.0.113.8").status_code == 200


def test_limit_counts_are_shared_through_the_cache(client, settings):
    """Counts live in the configured cache (Redis or the database in production), so
    every worker and server sees the same count; clearing it resets every client."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (1, 60)}
    assert search(client).status_code == 200
    assert search(client).status_code == 429
    cache.clear()
    assert search(client).status_code == 200


def test_with_redis_the_count_is_one_round_trip_and_runs_out_with_its_window(
    client, settings, production_cache
):
    """Production counts in Redis with one command; the count must still refuse at the
    limit and must expire with the window its first request started, or a client once
    limited would stay limited."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (2, 60)}
    statuses = [search(client).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert production_cache.get("rate:search:address:127.0.0.1") == 3
    assert 0 < production_cache.ttl("rate:search:address:127.0.0.1") <= 60
