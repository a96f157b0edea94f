"""The claims the test provider sends for each of its users, read from a JSON file the
tests write (keyed by username), so each test chooses them: email_verified, Entra ID's
xms_edov, amr and acr."""

import json

from django.conf import settings

ID_TOKEN_CLAIMS = ("email", "email_verified", "xms_edov", "amr", "acr")


def claims_of(user):
    path = settings.FOLDER / "claims.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text()).get(user.get_username(), {})


def id_token_claims(id_token, user, token, request, **kwargs):
    claims = claims_of(user)
    id_token.update({name: claims[name] for name in ID_TOKEN_CLAIMS if name in claims})
    return id_token


def userinfo(standard_claims, user):
    claims = claims_of(user)
    standard_claims["email"] = claims.get("email", user.email)
    standard_claims["name"] = claims.get("name", "")
    if "email_verified" in claims:
        standard_claims["email_verified"] = claims["email_verified"]
    return standard_claims
