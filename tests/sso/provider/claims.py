"""The claims the test provider sends for each of its users, read from a JSON file the
tests write (keyed by username), so each test chooses them: email_verified, Entra ID's
xms_edov, amr and acr; and, to test what Recognise refuses, a wrong audience or issuer or
an id_token that has already expired ("expires_in": seconds, negative for the past)."""

import json
import time

from django.conf import settings

ID_TOKEN_CLAIMS = ("email", "email_verified", "xms_edov", "amr", "acr", "aud", "iss")


def claims_of(user):
    path = settings.FOLDER / "claims.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text()).get(user.get_username(), {})


def id_token_claims(id_token, user, token, request, **kwargs):
    claims = claims_of(user)
    id_token.update({name: claims[name] for name in ID_TOKEN_CLAIMS if name in claims})
    if "expires_in" in claims:
        id_token["exp"] = int(time.time()) + claims["expires_in"]
        id_token["iat"] = min(id_token["iat"], id_token["exp"] - 60)
    return id_token


def userinfo(standard_claims, user):
    claims = claims_of(user)
    standard_claims["email"] = claims.get("email", user.email)
    standard_claims["name"] = claims.get("name", "")
    if "email_verified" in claims:
        standard_claims["email_verified"] = claims["email_verified"]
    return standard_claims
