"""The address a request came from, read the same way for rate limits and the audit log.

allauth's sign-in rate limits read it through its adapter, which honours
ALLAUTH_TRUSTED_PROXY_COUNT and ALLAUTH_TRUSTED_CLIENT_IP_HEADER when the site runs
behind a proxy (see TRUSTED_PROXY_COUNT in settings). Everything else asks the same
adapter, so a client has one address whoever is counting or recording.
"""

import ipaddress

from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied


def client_address(request):
    """The client's IP address as text, or None when it cannot be told."""
    if request is None:
        return None
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None
    except ImproperlyConfigured:
        # A forwarded header shorter than the configured proxy chain cannot be trusted;
        # the direct peer's address is still a fact.
        try:
            return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")))
        except ValueError:
            return None
