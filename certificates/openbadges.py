"""Open Badges 3.0 credentials for certificates, signed as VC-JWT with Ed25519.

The issuer profile, each course's achievement, the revocation status list and the
public key (JWKS) are published at stable URLs so anyone can verify a credential.
"""

import gzip
import hashlib
import io
from datetime import UTC, datetime, time, timedelta
from functools import cache as cache_function
from urllib.parse import urlencode

import jwt
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from core.site_urls import absolute_url

from . import keys
from .issuing import STATUS_LIST_SIZE
from .keys import ALGORITHM, b64url
from .models import Certificate

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
# Open Badges 3.0 section 8.2.4.1: the header's typ, when present, is "JWT".
JWT_TYPE = "JWT"
# A signed status list is valid for a week; verifiers reject an older copy, so a replayed
# list cannot un-revoke a credential. The cached copy is signed again well before then.
STATUS_LIST_VALIDITY = timedelta(days=7)
STATUS_LIST_CACHE_SECONDS = 24 * 60 * 60
STATUS_LIST_CACHE_KEY = "openbadges:status-list:{kid}"


def private_key():
    return keys.load_private_key(keys.current_pem())


def public_jwk():
    """The current signing key's public half."""
    return keys.public_jwk_for(keys.current_pem())


def jwks():
    """The current key and every earlier one, so older credentials keep verifying."""
    return keys.public_jwks()


def sign(claims, pem):
    return jwt.encode(
        claims,
        keys.load_private_key(pem),
        algorithm=ALGORITHM,
        headers={"kid": keys.kid_for(pem), "typ": JWT_TYPE},
    )


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
        "image": {
            "id": absolute_url(reverse("openbadges:badge_image")),
            "type": "Image",
            "caption": course.title,
        },
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


def status_list_url(kid):
    """Each key publishes its own status list, signed by that key: a verifier checks the
    list with the key that signed the credential, so lists outlive rotations."""
    return absolute_url(reverse("openbadges:status_list", args=[kid]))


def encoded_status_list():
    """A Bitstring Status List of revoked certificates (bit set = revoked)."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    revoked = Certificate.objects.filter(revoked_at__isnull=False).values_list(
        "status_index", flat=True
    )
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + b64url(gzip.compress(bytes(bits), mtime=0))


def status_list_credential(kid, now=None):
    now = (now or timezone.now()).replace(microsecond=0)
    url = status_list_url(kid)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": now.isoformat().replace("+00:00", "Z"),
        "validUntil": (now + STATUS_LIST_VALIDITY).isoformat().replace("+00:00", "Z"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_status_list(),
        },
    }


def signed_status_list(kid):
    """The status list of key kid as a VC-JWT signed by that key, or None when kid is
    none of ours. Kept in the cache until a certificate is revoked."""
    pem = keys.private_pem_for_kid(kid)
    if pem is None:
        return None
    cache_key = STATUS_LIST_CACHE_KEY.format(kid=kid)
    token = cache.get(cache_key)
    if token is None:
        now = timezone.now().replace(microsecond=0)
        credential = status_list_credential(kid, now)
        claims = {
            **credential,
            "iss": credential["issuer"],
            "jti": credential["id"],
            "nbf": int(now.timestamp()),
            "exp": int((now + STATUS_LIST_VALIDITY).timestamp()),
        }
        token = sign(claims, pem)
        cache.set(cache_key, token, STATUS_LIST_CACHE_SECONDS)
    return token


def forget_status_lists():
    """Drop the signed status lists, now and once the revoking transaction commits (a
    request between the two would otherwise cache the list from before it)."""

    def delete():
        cache.delete_many(
            [STATUS_LIST_CACHE_KEY.format(kid=keys.kid_for(pem)) for pem in keys.all_pems()]
        )

    delete()
    transaction.on_commit(delete)


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


def open_badge_credential(certificate, kid=None):
    kid = kid or keys.kid_for(keys.current_pem())
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
        "validUntil": valid_until(certificate).isoformat().replace("+00:00", "Z"),
        "name": certificate.course_title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [recipient_identifier(certificate)],
            "achievement": course_achievement,
        },
        "credentialStatus": {
            "id": f"{status_list_url(kid)}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": status_list_url(kid),
        },
    }


def signed_credential(certificate):
    """The credential as a VC-JWT (Open Badges 3.0 section 8.2): the payload is the
    credential itself, with the registered claims beside it."""
    pem = keys.current_pem()
    credential = open_badge_credential(certificate, keys.kid_for(pem))
    claims = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(certificate.issued_at.timestamp()),
        "iat": int(certificate.issued_at.timestamp()),
        "exp": int(valid_until(certificate).timestamp()),
    }
    subject_id = credential["credentialSubject"].get("id")
    if subject_id:
        claims["sub"] = subject_id
    return sign(claims, pem)


def valid_until(certificate):
    """The end of the certificate's last day, in UTC."""
    return datetime.combine(certificate.expires_on, time(23, 59, 59), tzinfo=UTC)


# The badge image, baked badges and sharing ---------------------------------------

BAKED_KEYWORD = "openbadgecredential"
BADGE_SIZE = 400


@cache_function
def badge_image_png():
    """The badge's image: drawn once per process, the same for every course (the
    achievement's name says which course it is)."""
    image = Image.new("RGBA", (BADGE_SIZE, BADGE_SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse(
        (8, 8, BADGE_SIZE - 8, BADGE_SIZE - 8), fill=(29, 112, 184), outline=(11, 12, 12), width=8
    )
    draw.ellipse((60, 60, BADGE_SIZE - 60, BADGE_SIZE - 60), outline=(255, 255, 255), width=10)
    # A tick: the course is complete.
    draw.line([(130, 205), (180, 255), (275, 150)], fill=(255, 255, 255), width=28, joint="curve")
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def baked_badge(token):
    """The badge image with the credential baked in (Open Badges 3.0 section 5.3.1: an
    iTXt chunk with the keyword openbadgecredential holding the VC-JWT)."""
    image = Image.open(io.BytesIO(badge_image_png()))
    info = PngInfo()
    info.add_itxt(BAKED_KEYWORD, token)
    output = io.BytesIO()
    image.save(output, format="PNG", pnginfo=info)
    return output.getvalue()


LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def linkedin_url(certificate):
    """LinkedIn's add-to-profile link, filled in with the certificate's details."""
    issued = certificate.issued_at
    return (
        LINKEDIN_ADD_TO_PROFILE
        + "?"
        + urlencode(
            {
                "startTask": "CERTIFICATION_NAME",
                "name": certificate.course_title,
                "organizationName": certificate.issuer_name,
                "issueYear": issued.year,
                "issueMonth": issued.month,
                "expirationYear": certificate.expires_on.year,
                "expirationMonth": certificate.expires_on.month,
                "certUrl": absolute_url(certificate.get_verification_url()),
                "certId": certificate.formatted_code,
            }
        )
    )


# Checking a credential someone hands us -------------------------------------------


class CredentialCheck:
    """What checking a VC-JWT found: valid only when every check passed."""

    def __init__(self, valid=False, problem="", certificate=None):
        self.valid = valid
        self.problem = problem
        self.certificate = certificate


def check_credential(token):
    """Check a VC-JWT against our keys and records; never raises for bad input."""
    token = (token or "").strip()
    try:
        header = jwt.get_unverified_header(token)
    except (jwt.InvalidTokenError, ValueError, TypeError):
        return CredentialCheck(problem=_("This is not an Open Badges credential we can read."))
    kid = header.get("kid")
    public_key = keys.public_key_for_kid(kid) if isinstance(kid, str) else None
    if public_key is None:
        return CredentialCheck(
            problem=_(
                "This credential was not signed with any of our keys, so we did not issue it."
            )
        )
    try:
        claims = jwt.decode(
            token,
            public_key,
            algorithms=[ALGORITHM],
            options={"require": ["iss", "jti", "nbf"], "verify_aud": False},
        )
    except jwt.ExpiredSignatureError:
        return CredentialCheck(problem=_("This credential has expired."))
    except jwt.InvalidSignatureError:
        return CredentialCheck(
            problem=_("This credential has been changed since we signed it, so it is not valid.")
        )
    except (jwt.InvalidTokenError, ValueError, TypeError):
        return CredentialCheck(problem=_("This is not an Open Badges credential we can read."))
    status = claims.get("credentialStatus")
    index = status.get("statusListIndex") if isinstance(status, dict) else None
    certificate = (
        Certificate.objects.filter(status_index=int(index)).first()
        if isinstance(index, str) and index.isdigit() and len(index) < 10
        else None
    )
    if (
        "OpenBadgeCredential" not in (claims.get("type") or [])
        or claims.get("iss") != issuer_id()
        or certificate is None
        or claims.get("jti") != credential_id(certificate)
    ):
        return CredentialCheck(problem=_("We have no certificate matching this credential."))
    if certificate.is_revoked:
        return CredentialCheck(
            problem=_("This certificate has been revoked."), certificate=certificate
        )
    return CredentialCheck(valid=True, certificate=certificate)
