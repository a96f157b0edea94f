import datetime
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from certificates.models import Certificate
from certificates.revoking import revoke
from tests.query_budgets import queries_for

pytestmark = pytest.mark.django_db


def test_signed_out_visitor_verifies_a_valid_certificate(client, certificate, holder):
    response = client.get(certificate.get_verification_url())
    page = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Valid",
        "Siân Llewelyn-Ŵyn",
        certificate.course_title,
        certificate.completed_on.strftime("%-d %B %Y"),
        "Recognise",
    ]:
        assert text in page
    assert holder.email not in page
    assert str(certificate.cpd_hours) not in page.split("<main")[1]
    # The same for every visitor, so a proxy or CDN may keep it too.
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert not response.cookies


def test_a_signed_in_readers_verification_page_is_kept_by_their_browser_only(
    client, certificate, holder
):
    client.force_login(holder)
    response = client.get(certificate.get_verification_url())
    # It carries their own CSRF token (the language switcher's form).
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_verification_page_makes_at_most_three_queries(client, certificate, production_cache):
    """Counted with the production cache: the rate limit's count is one Redis round trip
    there, not database queries."""
    url = certificate.get_verification_url()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= 3


def test_expired_and_revoked_certificates_say_so(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=datetime.date.today() - datetime.timedelta(days=1)
    )
    assert "Expired" in client.get(certificate.get_verification_url()).content.decode()
    revoke(certificate, "Issued in error.", actor=None)
    page = client.get(certificate.get_verification_url()).content.decode()
    assert "Revoked" in page


def test_code_is_found_however_it_is_typed(client, certificate):
    typed = certificate.code.lower()[:8] + " " + certificate.code.lower()[8:]
    response = client.post(reverse("certificates:verify_form"), {"code": typed})
    assert response.status_code == 302
    assert response.url == certificate.get_verification_url()


@pytest.mark.parametrize(
    "code",
    ["", "X", "0000-0000-0000-0000", "' OR 1=1 --", "%00", "ŵŷ" * 20, "A" * 10_000, "../../etc"],
)
def test_unknown_codes_get_a_plain_not_found(client, certificate, code):
    if code:
        response = client.get(f"/en/verify/{quote(code, safe='')}/")
        assert response.status_code == 404
        assert "not found" in response.content.decode().lower()
    response = client.post(reverse("certificates:verify_form"), {"code": code})
    assert response.status_code in (200, 404)
    assert escape(certificate.holder_name) not in response.content.decode()


def test_verification_form_is_rate_limited(client, certificate, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": (3, 60)}
    for _ in range(3):
        client.post(reverse("certificates:verify_form"), {"code": "WRONG-CODE"})
    response = client.post(reverse("certificates:verify_form"), {"code": certificate.code})
    assert response.status_code == 429
    assert "Too many checks" in response.content.decode()


def test_verification_is_cached_until_the_certificate_is_revoked(
    client, certificate, production_cache
):
    url = certificate.get_verification_url()
    welsh_url = url.replace("/en/", "/cy/", 1)
    assert queries_for(client, url, rendered=False) == 0
    assert "Siân Llewelyn-Ŵyn" in client.get(url).content.decode()
    welsh_before = client.get(welsh_url).content.decode()

    revoke(certificate, "Issued in error.", actor=None)
    assert "Revoked" in client.get(url).content.decode()
    assert client.get(welsh_url).content.decode() != welsh_before
