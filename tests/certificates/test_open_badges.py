import io
import re
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from bs4 import BeautifulSoup
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openbadgeslib.ob3.verifier import OB3VerificationError, OB3Verifier
from PIL import Image

from certificates.revoking import revoke
from tests.factories import UserFactory
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def download(client, certificate, holder, name="credential"):
    sign_in(client, holder.email)
    response = client.get(reverse(f"certificates:{name}", args=[certificate.pk]))
    assert response.status_code == 200
    client.post(reverse("account_logout"))
    return response


def download_credential(client, certificate, holder):
    response = download(client, certificate, holder)
    assert response["Content-Type"] == "application/vc+jwt"
    return response.content.decode()


def fetch_from_site(client):
    """What the independent verifier downloads (status lists) is asked of this site."""

    def fetch(url):
        assert url.startswith(SITE)
        response = client.get(url.removeprefix(SITE))
        if response.status_code != 200:
            raise OSError(f"{url} answered {response.status_code}")
        return response.content

    return fetch


def published_key(client, token):
    kid = jwt.get_unverified_header(token)["kid"]
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    assert all("d" not in key for key in keys)  # the private part is never published
    (key,) = [key for key in keys if key["kid"] == kid]
    return jwt.PyJWK(key).key


def verify_independently(client, token):
    """openbadgeslib's verifier, with the published key and the status check on (the
    status list's own signature included)."""
    verifier = OB3Verifier(published_key(client, token))
    return verifier.verify(token, check_status=True, download=fetch_from_site(client))


def payload(token):
    return jwt.decode(token, options={"verify_signature": False})


@pytest.fixture
def welsh_certificate(course, complete_course):
    learner = UserFactory(role="Learner", display_name="Gwenllïan ap Rhys", preferred_language="cy")
    complete_course(learner, course)
    return learner, learner.certificates.get()


def test_english_and_welsh_credentials_pass_an_independent_verifier(
    client, certificate, holder, welsh_certificate
):
    for language, (learner, issued) in (("en", (holder, certificate)), ("cy", welsh_certificate)):
        with translation.override(language):
            token = download_credential(client, issued, learner)
        credential = verify_independently(client, token)
        assert credential.issuer.id == f"{SITE}{reverse('openbadges:issuer')}"
        assert payload(token)["credentialSubject"]["achievement"]["name"] == issued.course_title


def test_the_jwt_is_the_credential_with_registered_claims(client, certificate, holder):
    token = download_credential(client, certificate, holder)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["typ"] == "JWT"
    claims = payload(token)
    assert "vc" not in claims
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["iss"] == claims["issuer"]["id"]
    assert claims["jti"] == claims["id"]
    assert claims["nbf"] == int(certificate.issued_at.timestamp())
    assert claims["exp"] > claims["nbf"]
    assert claims["validUntil"].startswith(certificate.expires_on.isoformat())


def test_tampered_credential_fails_verification(client, certificate, holder):
    token = download_credential(client, certificate, holder)
    header, body, signature = token.split(".")
    forged = body[:-4] + ("AAAA" if body[-4:] != "AAAA" else "BBBB")
    with pytest.raises(OB3VerificationError):
        verify_independently(client, f"{header}.{forged}.{signature}")


def test_credential_has_the_open_badges_3_fields(client, certificate, holder):
    credential = payload(download_credential(client, certificate, holder))
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert credential["@context"][1].startswith("https://purl.imsglobal.org/spec/ob/v3p0/context")
    assert credential["issuer"]["type"] == ["Profile"] and credential["issuer"]["name"]
    assert credential["validFrom"]
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["criteria"]["narrative"]
    assert achievement["description"]
    image = client.get(achievement["image"]["id"].removeprefix(SITE))
    assert image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size == (400, 400)
    (identifier,) = subject["identifier"]
    assert identifier["hashed"] is True and identifier["identityHash"].startswith("sha256$")
    assert holder.email not in str(credential)
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusListIndex"] == str(certificate.status_index)


def test_issuer_and_achievement_resolve(client, certificate, holder):
    credential = payload(download_credential(client, certificate, holder))
    issuer = client.get(credential["issuer"]["id"].removeprefix(SITE)).json()
    assert issuer["id"] == credential["issuer"]["id"] and issuer["type"] == ["Profile"]
    achievement_url = credential["credentialSubject"]["achievement"]["id"]
    assert client.get(achievement_url.removeprefix(SITE)).json()["id"] == achievement_url


def test_status_list_is_a_signed_credential(client, certificate, holder):
    token = download_credential(client, certificate, holder)
    status_url = payload(token)["credentialStatus"]["statusListCredential"]
    response = client.get(status_url.removeprefix(SITE))
    assert response["Content-Type"] == "application/vc+jwt"
    status_list = jwt.decode(
        response.content.decode(), published_key(client, token), algorithms=["EdDSA"]
    )
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["issuer"] == payload(token)["iss"]
    assert status_list["validFrom"] < status_list["validUntil"]
    assert status_list["credentialSubject"]["statusPurpose"] == "revocation"


def test_revoked_credential_is_rejected_by_the_independent_verifier(client, certificate, holder):
    token = download_credential(client, certificate, holder)
    verify_independently(client, token)  # the signed list is now cached
    revoke(certificate, "Issued in error", actor=None, actor_label="test")
    with pytest.raises(OB3VerificationError, match="revocation"):
        verify_independently(client, token)


def test_unknown_status_list_is_a_json_404(client):
    response = client.get(reverse("openbadges:status_list", args=["no-such-key"]))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_rotation_keeps_earlier_credentials_verifying(client, certificate, holder, tmp_path):
    before = download_credential(client, certificate, holder)
    call_command("rotate_signing_key", backup_dir=str(tmp_path), stdout=io.StringIO())
    after = download_credential(client, certificate, holder)
    kid_before = jwt.get_unverified_header(before)["kid"]
    assert jwt.get_unverified_header(after)["kid"] != kid_before
    backups = sorted(tmp_path.iterdir())
    kid_after = jwt.get_unverified_header(after)["kid"]
    for kid in (kid_before, kid_after):
        (backup,) = [path for path in backups if kid in path.name]
        assert "PRIVATE KEY" in backup.read_text()
        assert backup.stat().st_mode & 0o077 == 0
    kids = [key["kid"] for key in client.get("/.well-known/jwks.json").json()["keys"]]
    assert kids[0] == jwt.get_unverified_header(after)["kid"] and kid_before in kids
    verify_independently(client, before)
    verify_independently(client, after)
    revoke(certificate, "Issued in error", actor=None, actor_label="test")
    for token in (before, after):
        with pytest.raises(OB3VerificationError, match="revocation"):
            verify_independently(client, token)


def test_rotation_refuses_without_a_backup_directory(client, certificate, holder):
    kids = client.get("/.well-known/jwks.json").json()["keys"]
    with pytest.raises(CommandError, match="--backup-dir"):
        call_command("rotate_signing_key", stdout=io.StringIO())
    assert client.get("/.well-known/jwks.json").json()["keys"] == kids


def check_on_site(client, token):
    return client.post(reverse("certificates:verify_credential"), {"credential": token})


def test_our_check_accepts_a_genuine_credential(client, certificate, holder):
    response = check_on_site(client, download_credential(client, certificate, holder))
    assert response.status_code == 200
    assert "This credential is valid" in response.content.decode()


def test_our_check_rejects_tampering_unknown_keys_and_nonsense(client, certificate, holder):
    token = download_credential(client, certificate, holder)
    header, body, signature = token.split(".")
    tampered = f"{header}.{body[:-4]}{'AAAA' if body[-4:] != 'AAAA' else 'BBBB'}.{signature}"
    stranger = jwt.encode(
        payload(token), Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": "x"}
    )
    cases = [
        (tampered, "has been changed since we signed it"),
        (stranger, "not signed with any of our keys"),
        ("not a jwt", "not an Open Badges credential we can read"),
        ("", "Paste the credential"),
    ]
    for bad, message in cases:
        response = check_on_site(client, bad)
        page = response.content.decode()
        assert response.status_code == 400, bad
        assert message in page and "This credential is valid" not in page


def test_our_check_says_revoked(client, certificate, holder):
    token = download_credential(client, certificate, holder)
    revoke(certificate, "Issued in error", actor=None, actor_label="test")
    page = check_on_site(client, token).content.decode()
    assert "has been revoked" in page and "This credential is valid" not in page


def test_baked_badge_carries_a_credential_that_verifies(client, certificate, holder):
    response = download(client, certificate, holder, "baked_badge")
    assert response["Content-Type"] == "image/png"
    token = OB3Verifier.extract_token_from_png(response.content)
    credential = verify_independently(client, token)
    assert credential.id == payload(token)["id"]


def test_certificate_page_offers_the_badge_and_linkedin(client, certificate, holder):
    sign_in(client, holder.email)
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert reverse("certificates:baked_badge", args=[certificate.pk]) in page
    link = BeautifulSoup(page, "html.parser").find("a", href=re.compile("linkedin"))
    assert link.get_text(strip=True).startswith("Add to LinkedIn")
    url = urlsplit(link["href"])
    assert (url.scheme, url.netloc, url.path) == ("https", "www.linkedin.com", "/profile/add")
    params = {name: values[0] for name, values in parse_qs(url.query).items()}
    assert params["startTask"] == "CERTIFICATION_NAME"
    assert params["name"] == certificate.course_title
    assert params["organizationName"] == certificate.issuer_name
    assert params["issueYear"] == str(certificate.issued_at.year)
    assert params["issueMonth"] == str(certificate.issued_at.month)
    assert params["certId"] == certificate.formatted_code
    assert params["certUrl"] == f"{SITE}{certificate.get_verification_url()}"
