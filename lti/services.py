"""Calls from Recognise to a platform's LTI Advantage services: an OAuth2 access token
got with a signed JWT (client_credentials), then scores (AGS) and rosters (NRPS).

Every request has a timeout, so a platform that hangs cannot hold a worker."""

import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import jwt
import requests

from .keys import key_id, signing_key
from .models import RosterImport

CutShort = RosterImport.CutShort

TIMEOUT = (5, 20)
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
ROSTER_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
ROSTER_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
# Rosters are read page by page (a platform chooses the page size: Canvas sends at most
# 50 members a page, Moodle the whole course). Reading stops, and says so, at this many
# members or pages, or at a page already read, so that a platform that links its pages
# in a loop cannot hold a worker.
MAX_ROSTER_MEMBERS = 50_000
MAX_ROSTER_PAGES = 2_000


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


@dataclass
class Roster:
    members: list = field(default_factory=list)
    # Why reading stopped before the roster's last page: "" when it did not.
    cut_short: str = ""


def roster(registration, memberships_url, on_page=None):
    """The members of the platform course, following the roster's pages; on_page(count)
    is told how many have been read after each page."""
    token = access_token(registration, [ROSTER_SCOPE])
    read = Roster()
    url, seen, ids = memberships_url, set(), set()
    while url:
        if url in seen:
            read.cut_short = CutShort.REPEATED_PAGE
            break
        if len(seen) == MAX_ROSTER_PAGES:
            read.cut_short = CutShort.TOO_MANY_PAGES
            break
        seen.add(url)
        try:
            response = requests.get(
                url,
                headers={"Authorization": f"Bearer {token}", "Accept": ROSTER_TYPE},
                timeout=TIMEOUT,
            )
            response.raise_for_status()
            members = response.json().get("members", [])
        except (requests.RequestException, ValueError, AttributeError) as error:
            raise ServiceError(f"roster: {error}") from error
        if not isinstance(members, list):
            raise ServiceError("roster: the page's members are not a list")
        for member in members:
            # Someone without an id cannot be linked. A platform may list someone twice,
            # across pages that shift as people join.
            user_id = member.get("user_id") if isinstance(member, dict) else None
            if isinstance(user_id, (str, int)) and str(user_id) and str(user_id) not in ids:
                ids.add(str(user_id))
                read.members.append(member)
        if len(read.members) > MAX_ROSTER_MEMBERS:
            del read.members[MAX_ROSTER_MEMBERS:]
            read.cut_short = CutShort.TOO_MANY_MEMBERS
            break
        if on_page is not None:
            on_page(len(read.members))
        url = next_page(url, response)
    return read


def next_page(url, response):
    """The roster's next page from the Link header, only on the roster's own site: the
    request carries the platform's access token."""
    link = response.links.get("next", {}).get("url")
    if not link:
        return None
    link = urljoin(url, link)
    if urlsplit(link)[:2] != urlsplit(url)[:2]:
        raise ServiceError("roster: the next page is on another site")
    return link
