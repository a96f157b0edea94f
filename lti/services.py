"""Calls from Recognise to a platform's LTI Advantage services: an OAuth2 access token
got with a signed JWT (client_credentials), then scores (AGS) and rosters (NRPS).

Every request has a timeout, so a platform that hangs cannot hold a worker."""

import time
import uuid

import jwt
import requests

from .keys import key_id, signing_key

TIMEOUT = (5, 20)
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
ROSTER_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
ROSTER_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
# Rosters are read page by page; this many pages at most (NRPS pages are usually
# a few hundred members), so a platform that links pages in a loop cannot hold a worker.
MAX_ROSTER_PAGES = 50


class ServiceError(Exception):
    """The platform could not be reached or refused the call."""


def access_token(registration, scopes):
    key = signing_key()
    now = int(time.time())
    assertion = jwt.encode(
        {
            "iss": registration.client_id,
            "sub": registration.client_id,
            "aud": registration.audience or registration.token_url,
            "iat": now - 5,
            "exp": now + 60,
            "jti": str(uuid.uuid4()),
        },
        key.private_key,
        algorithm="RS256",
        headers={"kid": key_id(key)},
    )
    try:
        response = requests.post(
            registration.token_url,
            data={
                "grant_type": "client_credentials",
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": assertion,
                "scope": " ".join(scopes),
            },
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        return response.json()["access_token"]
    except (requests.RequestException, ValueError, KeyError) as error:
        raise ServiceError(f"access token: {error}") from error


def scores_url(lineitem_url):
    # The scores endpoint is the line item's address with /scores added to its path.
    base, _sep, query = lineitem_url.partition("?")
    return base.rstrip("/") + "/scores" + (f"?{query}" if query else "")


def post_score(registration, lineitem_url, score):
    token = access_token(registration, [SCORE_SCOPE])
    try:
        response = requests.post(
            scores_url(lineitem_url),
            json=score,
            headers={"Authorization": f"Bearer {token}", "Content-Type": SCORE_TYPE},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
    except requests.RequestException as error:
        raise ServiceError(f"score: {error}") from error


def roster(registration, memberships_url):
    """Every member of the platform course, following the roster's pages."""
    token = access_token(registration, [ROSTER_SCOPE])
    members = []
    url = memberships_url
    for _page in range(MAX_ROSTER_PAGES):
        try:
            response = requests.get(
                url,
                headers={"Authorization": f"Bearer {token}", "Accept": ROSTER_TYPE},
                timeout=TIMEOUT,
            )
            response.raise_for_status()
            members.extend(response.json().get("members", []))
        except (requests.RequestException, ValueError) as error:
            raise ServiceError(f"roster: {error}") from error
        url = response.links.get("next", {}).get("url")
        if not url:
            break
    return members
