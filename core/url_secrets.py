"""Masking the secrets some addresses carry before they are written to a log.

Invitation links, password-reset and email-confirmation links and certificate
verification pages put a token, key or code in the path; anyone who can read the logs
could otherwise use them. mask_secrets() is the one function every log writer uses:
Django's loggers (through core.log_format), gunicorn's access log
(recognise.gunicorn_config) and error reports (core.error_reporting).
"""

import re

MASK = "[masked]"

# The path segment after one of these is a secret (an optional language prefix such as
# /en/ or /cy/ comes first). Wagtail's admin reset link carries two: an id and a token.
_SECRET_SEGMENT = re.compile(
    r"(?P<prefix>/(?:[a-z]{2}(?:-[a-z]+)?/)?"
    r"(?:cohorts/join|verify|accounts/confirm-email|accounts/password/reset/key))"
    r"/[^/?#\s\"']+"
)
_WAGTAIL_RESET = re.compile(r"(?P<prefix>/admin/password_reset/confirm)(?:/[^/?#\s\"']+){1,2}")
# The same secrets sent as query parameters (the verification form's ?code=).
_SECRET_PARAMETERS = re.compile(r"(?P<name>[?&](?:code|token|key)=)[^&#\s\"']*", re.IGNORECASE)


def mask_secrets(text):
    """The text with every token, key or code in an address replaced by [masked]."""
    if not text:
        return text
    text = _WAGTAIL_RESET.sub(lambda match: f"{match['prefix']}/{MASK}", text)
    text = _SECRET_SEGMENT.sub(lambda match: f"{match['prefix']}/{MASK}", text)
    return _SECRET_PARAMETERS.sub(lambda match: match["name"] + MASK, text)
