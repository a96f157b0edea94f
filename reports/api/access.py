"""Who may use the reporting API: a client sending an unrevoked API token, as that
token's organisation, within the token's rate limit. Every answered request is audited."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import BaseThrottle

from core.rate_limits import is_over_limit
from reports.models import ApiToken
from reports.tokens import usable_token

RATE_SCOPE = "reporting_api"


class NotAuthenticated(exceptions.NotAuthenticated):
    default_detail = _(
        "Send an API token in the Authorization header: Authorization: Bearer <token>."
    )


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`; a wrong or revoked token is refused (401)."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("The Authorization header must be: Bearer <token>.")
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            key = ""
        token = usable_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This API token is not valid or has been revoked.")
            )
        # Nobody is signed in: the token, not a person, is what the views read.
        return (AnonymousUser(), token)

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) with a WWW-Authenticate header.
        return f'{self.keyword} realm="api"'


class HasApiToken(BasePermission):
    def has_permission(self, request, view):
        if not isinstance(request.auth, ApiToken):
            raise NotAuthenticated()
        return True


class TokenRateThrottle(BaseThrottle):
    """The site's rate limits (core.rate_limits), counted per token."""

    def allow_request(self, request, view):
        return not is_over_limit(RATE_SCOPE, f"api-token:{request.auth.pk}")

    def wait(self):
        return settings.RATE_LIMITS[RATE_SCOPE][1]


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (drf-spectacular)."""

    target_class = BearerTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token made on the trainer pages (API tokens).",
        }
