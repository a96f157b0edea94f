import pytest
from django.http import HttpResponse

import recognise.urls


@pytest.fixture
def plain_429(monkeypatch):
    """allauth answers a rate-limited request with the site's handler429 when the URL
    module has one; these tests count requests, so a bare 429 stands in for the page,
    whose text and headers tests/site/test_rate_limits.py checks."""
    monkeypatch.setattr(
        recognise.urls,
        "handler429",
        lambda request: HttpResponse("Too many requests", status=429),
        raising=False,
    )
