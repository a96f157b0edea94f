import jwt
import pytest
from django.urls import reverse

from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


def download_credential(client, certificate, holder):
    sign_in(client, holder.email)
    response = client.get(reverse("certificates:credential", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    client.post(reverse("account_logout"))
    return response.content.decode()


def verify_with_published_key(client, token):
    """Verify a VC-JWT with nothing but the public JWKS the site publishes."""
    header = jwt.get_unverified_header(token)
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    (key,) = [k for k in keys if k["kid"] == header["kid"]]
    assert "d" not in key  # the private part is never published
    return jwt.decode(token, jwt.PyJWK(key).key, algorithms=["EdDSA"])


def test_credential_verifies_with_the_published_key(client, certificate, holder):
    claims = verify_with_published_key(client, download_credential(client, certificate, holder))
    credential = claims["vc"]
    assert claims["iss"] == credential["issuer"]["id"]
    assert claims["jti"] == credential["id"]


def test_tampered_credential_fails_verification(client, certificate, holder):
    token = download_credential(client, certificate, holder)
    header, payload, signature = token.split(".")
    forged = payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB")
    with pytest.raises(jwt.InvalidTokenError):
        verify_with_published_key(client, f"{header}.{forged}.{signature}")


def test_credential_has_the_open_badges_3_fields(client, certificate, holder):
    credential = verify_with_published_key(
        client, download_credential(client, certificate, holder)
    )["vc"]
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["@context"][1].startswith("https://purl.imsglobal.org/spec/ob/v3p0/context")
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["type"] == ["Profile"] and credential["issuer"]["name"]
    assert credential["validFrom"]
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == certificate.course_title
    assert achievement["criteria"]["narrative"]
    assert achievement["description"]
    (identifier,) = subject["identifier"]
    assert identifier["hashed"] is True and identifier["identityHash"].startswith("sha256$")
    assert holder.email not in str(credential)
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusListIndex"] == str(certificate.status_index)


def test_issuer_achievement_and_status_list_have_stable_urls(client, certificate, holder):
    credential = verify_with_published_key(
        client, download_credential(client, certificate, holder)
    )["vc"]
    issuer = client.get(credential["issuer"]["id"].replace("http://testserver", "")).json()
    assert issuer["id"] == credential["issuer"]["id"] and issuer["type"] == ["Profile"]
    achievement_url = credential["credentialSubject"]["achievement"]["id"]
    achievement = client.get(achievement_url.replace("http://testserver", "")).json()
    assert achievement["id"] == achievement_url
    status_url = credential["credentialStatus"]["statusListCredential"]
    status_list = client.get(status_url.replace("http://testserver", "")).json()
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["credentialSubject"]["statusPurpose"] == "revocation"
