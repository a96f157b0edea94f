import base64
import gzip

import jwt
import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from certificates import openbadges
from tests.factories import UserFactory
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

pytestmark = pytest.mark.django_db


def revoke_url(certificate):
    return reverse("issued_certificates:revoke", args=[certificate.pk])


@pytest.fixture
def publisher_client(client):
    publisher = UserFactory(role="Publisher")
    sign_in_with_totp(client, publisher, enrol_totp(publisher))
    client.user = publisher
    return client


def test_publisher_revokes_with_a_reason_and_it_is_audited(publisher_client, certificate):
    response = publisher_client.post(revoke_url(certificate), {"reason": "Issued in error"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert certificate.revoked_reason == "Issued in error"
    entry = AuditEvent.objects.get(action=Action.CERTIFICATE_REVOKED)
    assert entry.actor == publisher_client.user
    assert entry.data == {"certificate_id": str(certificate.pk), "reason": "Issued in error"}
    assert certificate.formatted_code in entry.message
    assert entry.ip_address == "127.0.0.1"
    assert "Revoked" in publisher_client.get(certificate.get_verification_url()).content.decode()


def test_revoking_needs_a_reason(publisher_client, certificate):
    response = publisher_client.post(revoke_url(certificate), {"reason": "   "})
    assert response.status_code == 200
    assert "Give a reason" in response.content.decode()
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_editors_and_learners_cannot_revoke(client, certificate, holder):
    editor = UserFactory(role="NGO editor")
    sign_in_with_totp(client, editor, enrol_totp(editor))
    response = client.post(revoke_url(certificate), {"reason": "No"})
    assert response.status_code in (302, 403)
    client.post(reverse("account_logout"))
    sign_in(client, holder.email)
    assert client.post(revoke_url(certificate), {"reason": "No"}).status_code == 403
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_revocation_is_published_in_the_status_list(publisher_client, certificate, client):
    publisher_client.post(revoke_url(certificate), {"reason": "Issued in error"})
    kid = openbadges.public_jwk()["kid"]
    token = client.get(reverse("openbadges:status_list", args=[kid])).content.decode()
    status_list = jwt.decode(token, options={"verify_signature": False})
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    raw = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    index = certificate.status_index
    assert bits[index // 8] & (0x80 >> (index % 8))
    assert sum(bin(byte).count("1") for byte in bits) == 1
