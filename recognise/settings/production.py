"""Production settings: HTTPS only, and no start without a real SECRET_KEY."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import OPENBADGES_PRIVATE_KEY, SECRET_KEY
from .environment import env_bool, env_int

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment (50 or more random characters) "
        "before Recognise starts in production."
    )

if "PRIVATE KEY" not in OPENBADGES_PRIVATE_KEY:
    raise ImproperlyConfigured(
        "OPENBADGES_PRIVATE_KEY must hold the Ed25519 private key (PEM) that signs "
        "certificates' Open Badges credentials."
    )

# Behind a proxy that terminates TLS, set SECURE_SSL_REDIRECT=false and let the
# proxy redirect; the forwarded header still marks requests as secure.
# https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
MFA_TRUST_COOKIE_SECURE = True

# An operator who turns these off has chosen to (TLS ends at a proxy that redirects;
# the domain is not ready for the preload list), so the matching warnings are silenced
# rather than tolerated everywhere.
SILENCED_SYSTEM_CHECKS = []
if not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS.append("security.W008")
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
