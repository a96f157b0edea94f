"""A small LTI 1.3 platform for the tests, over real HTTP on a local port: its own RSA
key and key set, an OAuth2 token endpoint that takes a client_credentials grant with a
JWT assertion signed by the tool, a line item's scores endpoint (AGS) and a course
roster (NRPS). It signs id_tokens as Moodle would and checks deep-linking responses."""

import json
import secrets
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DL_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
ROSTER_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
ADMINISTRATOR = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Platform:
    client_id = "recognise-tool"
    deployment_id = "deployment-1"
    context_id = "course-101"

    def __init__(self):
        self.key = new_key()
        self.kid = "platform-key-1"
        self.tool_jwks = {"keys": []}
        self.tokens = {}
        self.scores = []
        self.members = []
        # Members per roster page; None splits the roster in two pages. A platform that
        # links its last page back to its first (loop_roster) never ends.
        self.page_size = None
        self.loop_roster = False
        self.roster_pages_served = 0
        self.down = False
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # Addresses the tool's administrator copies into Recognise.
    @property
    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self):
        return self.origin

    @property
    def keyset_url(self):
        return f"{self.origin}/jwks"

    @property
    def auth_url(self):
        return f"{self.origin}/auth"

    @property
    def token_url(self):
        return f"{self.origin}/token"

    @property
    def lineitems_url(self):
        return f"{self.origin}/courses/{self.context_id}/lineitems"

    def lineitem_url(self, number=1):
        return f"{self.lineitems_url}/{number}"

    @property
    def memberships_url(self):
        return f"{self.origin}/courses/{self.context_id}/memberships"

    def registration_data(self, organisation, **fields):
        """What its administrator copies into Recognise's registration form."""
        return {
            "organisation": organisation.pk,
            "issuer": self.issuer,
            "client_id": self.client_id,
            "deployment_ids": self.deployment_id,
            "keyset_url": self.keyset_url,
            "auth_url": self.auth_url,
            "token_url": self.token_url,
            "enabled": "on",
            **fields,
        }

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def public_jwks(self):
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    # Signing launches ------------------------------------------------------------

    def id_token(self, nonce, sub="moodle-user-7", key=None, **changes):
        """A resource-link launch's id_token; `changes` replace or remove (None) claims."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "name": "Sam Platform",
            "email": "sam@school.example",
            CLAIM + "message_type": "LtiResourceLinkRequest",
            CLAIM + "version": "1.3.0",
            CLAIM + "deployment_id": self.deployment_id,
            CLAIM + "target_link_uri": "http://testserver/lti/launch/",
            CLAIM + "resource_link": {"id": "link-1", "title": "Recognise"},
            CLAIM + "roles": [LEARNER],
            CLAIM + "context": {"id": self.context_id, "title": "Safeguarding 101"},
            AGS_CLAIM: {
                "scope": [SCORE_SCOPE],
                "lineitems": self.lineitems_url,
                "lineitem": self.lineitem_url(),
            },
            NRPS_CLAIM: {
                "context_memberships_url": self.memberships_url,
                "service_versions": ["2.0"],
            },
        }
        for name, value in changes.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def deep_linking_token(self, nonce, sub="moodle-admin-1"):
        return self.id_token(
            nonce,
            sub=sub,
            **{
                CLAIM + "message_type": "LtiDeepLinkingRequest",
                CLAIM + "resource_link": None,
                CLAIM + "roles": [INSTRUCTOR],
                DL_CLAIM + "deep_linking_settings": {
                    "deep_link_return_url": f"{self.origin}/deep-link-return",
                    "accept_types": ["ltiResourceLink"],
                    "accept_presentation_document_targets": ["iframe", "window"],
                    "data": "opaque-platform-data",
                },
            },
        )

    def read_deep_linking_response(self, token):
        """The tool's signed answer, checked with the tool's published key."""
        header = jwt.get_unverified_header(token)
        return jwt.decode(
            token,
            self.tool_key(header.get("kid")),
            algorithms=["RS256"],
            audience=self.issuer,
            issuer=self.client_id,
        )

    def tool_key(self, kid):
        keys = self.tool_jwks["keys"]
        chosen = [key for key in keys if key.get("kid") == kid] or keys
        return RSAAlgorithm.from_jwk(json.dumps(chosen[0]))

    def roster_page(self, page):
        """The members on a page of the roster, and the Link header to the next page."""
        size = self.page_size or max(1, (len(self.members) + 1) // 2)
        pages = max(1, -(-len(self.members) // size))
        members = self.members[(page - 1) * size : page * size]
        if page < pages:
            following = page + 1
        elif self.loop_roster:
            following = 1
        else:
            return members, []
        return members, [("Link", f'<{self.memberships_url}?page={following}>; rel="next"')]

    # HTTP ------------------------------------------------------------------------

    def handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body=None, content_type="application/json", headers=()):
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def body(self):
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length)

            def token_scopes(self):
                auth = self.headers.get("Authorization", "")
                return platform.tokens.get(auth.removeprefix("Bearer "), set())

            def do_GET(self):
                path = urlsplit(self.path).path
                if path == "/jwks":
                    return self.answer(200, platform.public_jwks())
                if path == urlsplit(platform.memberships_url).path:
                    if ROSTER_SCOPE not in self.token_scopes():
                        return self.answer(401, {"error": "invalid_token"})
                    query = parse_qs(urlsplit(self.path).query)
                    members, link = platform.roster_page(int(query.get("page", ["1"])[0]))
                    platform.roster_pages_served += 1
                    return self.answer(
                        200,
                        {"id": platform.memberships_url, "members": members},
                        "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
                        link,
                    )
                return self.answer(404, {})

            def do_POST(self):
                path = urlsplit(self.path).path
                if platform.down:
                    return self.answer(503, {"error": "maintenance"})
                if path == "/token":
                    return self.issue_token(parse_qs(self.body().decode()))
                if path.startswith(urlsplit(platform.lineitems_url).path) and path.endswith(
                    "/scores"
                ):
                    if SCORE_SCOPE not in self.token_scopes():
                        return self.answer(401, {"error": "invalid_token"})
                    if self.headers.get("Content-Type") != "application/vnd.ims.lis.v1.score+json":
                        return self.answer(415, {})
                    platform.scores.append(
                        {"path": path, "score": json.loads(self.body()), "at": time.time()}
                    )
                    return self.answer(200, {})
                return self.answer(404, {})

            def issue_token(self, form):
                def one(name):
                    return (form.get(name) or [""])[0]

                if (
                    one("grant_type") != "client_credentials"
                    or one("client_assertion_type")
                    != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
                ):
                    return self.answer(400, {"error": "unsupported_grant_type"})
                assertion = one("client_assertion")
                try:
                    header = jwt.get_unverified_header(assertion)
                    claims = jwt.decode(
                        assertion,
                        platform.tool_key(header.get("kid")),
                        algorithms=["RS256"],
                        audience=platform.token_url,
                        issuer=platform.client_id,
                    )
                except (jwt.PyJWTError, IndexError):
                    return self.answer(401, {"error": "invalid_client"})
                if claims.get("sub") != platform.client_id:
                    return self.answer(401, {"error": "invalid_client"})
                token = secrets.token_urlsafe(16)
                platform.tokens[token] = set(one("scope").split())
                return self.answer(
                    200,
                    {
                        "access_token": token,
                        "token_type": "Bearer",
                        "expires_in": 3600,
                        "scope": one("scope"),
                    },
                )

        return Handler


def member(sub, email, name, roles=(LEARNER,), status="Active"):
    return {
        "user_id": sub,
        "email": email,
        "name": name,
        "roles": list(roles),
        "status": status,
        "lis_person_sourcedid": str(uuid.uuid4()),
    }
