"""Open Badges 3.0 credentials for certificates, signed as VC-JWT with Ed25519.

The issuer profile, each course's achievement, the revocation status list and the
public key (JWKS) are published at stable URLs so anyone can verify a credential.
"""

import base64
import gzip
import hashlib
from functools import cache

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.urls import reverse

from core.site_urls import absolute_url

from .issuing import STATUS_LIST_SIZE
from .models import Certificate

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
ALGORITHM = "EdDSA"


@cache
def _private_key(pem):
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("OPENBADGES_PRIVATE_KEY must be an Ed25519 key.")
    return key


def private_key():
    return _private_key(settings.OPENBADGES_PRIVATE_KEY)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk():
    raw = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    x = b64url(raw)
    # RFC 7638 thumbprint: a key id that changes only when the key does.
    thumbprint = b64url(
        hashlib.sha256(f'{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}'.encode()).digest()
    )
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": x,
        "kid": thumbprint,
        "alg": ALGORITHM,
        "use": "sig",
    }


def jwks():
    return {"keys": [public_jwk()]}


def issuer_id():
    return absolute_url(reverse("openbadges:issuer"))


def issuer_profile():
    return {
        "@context": CONTEXTS,
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.CERTIFICATE_ISSUER_NAME,
        "url": absolute_url("/"),
    }


def achievement(course):
    return {
        "@context": CONTEXTS,
        "id": absolute_url(reverse("openbadges:achievement", args=[course.pk])),
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": course.title,
        "description": course.summary,
        "criteria": {
            "narrative": (
                "Complete every required lesson and pass the final assessment of the course."
            )
        },
        "creator": {
            "id": issuer_id(),
            "type": ["Profile"],
            "name": settings.CERTIFICATE_ISSUER_NAME,
        },
    }


def status_list_url():
    return absolute_url(reverse("openbadges:status_list"))


def status_list_credential():
    """A Bitstring Status List of revoked certificates (bit set = revoked)."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    revoked = Certificate.objects.filter(revoked_at__isnull=False).values_list(
        "status_index", flat=True
    )
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    encoded = "u" + b64url(gzip.compress(bytes(bits), mtime=0))
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": status_list_url(),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "credentialSubject": {
            "id": f"{status_list_url()}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }


def recipient_identifier(certificate):
    """The holder's email as a salted hash: the credential proves who holds it
    without carrying their address."""
    salt = certificate.code
    digest = hashlib.sha256((certificate.user.email.lower() + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def credential_id(certificate):
    return absolute_url(reverse("openbadges:credential", args=[certificate.pk]))


def open_badge_credential(certificate):
    course_achievement = achievement(certificate.course)
    course_achievement.pop("@context")
    course_achievement["name"] = certificate.course_title
    return {
        "@context": CONTEXTS,
        "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer_id(),
            "type": ["Profile"],
            "name": certificate.issuer_name,
        },
        "validFrom": certificate.issued_at.isoformat(),
        "validUntil": f"{certificate.expires_on.isoformat()}T23:59:59Z",
        "name": certificate.course_title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [recipient_identifier(certificate)],
            "achievement": course_achievement,
        },
        "credentialStatus": {
            "id": f"{status_list_url()}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": status_list_url(),
        },
    }


def signed_credential(certificate):
    """The credential as a VC-JWT: the OB 3.0 "vc" claim plus the registered claims."""
    credential = open_badge_credential(certificate)
    claims = {
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(certificate.issued_at.timestamp()),
        "iat": int(certificate.issued_at.timestamp()),
        "vc": credential,
    }
    return jwt.encode(
        claims,
        private_key(),
        algorithm=ALGORITHM,
        headers={"kid": public_jwk()["kid"], "typ": "JWT"},
    )
