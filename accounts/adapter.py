"""allauth's account adapter, with wrong passwords counted per client address and account.

allauth counts failed sign-ins per client address and per account (login_failed in
ACCOUNT_RATE_LIMITS). Counted per account alone, five wrong passwords from anywhere
locked the account for everyone, so a stranger could keep its owner out. Here the per
account count is kept for each client address separately: guesses from one address are
refused after the limit, while the owner, elsewhere, still signs in with the right
password (and, for staff, their second factor, which allauth limits per account).
"""

import ipaddress

from allauth import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter

from core.client_address import client_address


def counted_address(request):
    """The client address as rate limits count it: IPv6 clients by their network (a
    client is usually given a whole /64 of addresses), as allauth counts them."""
    address = client_address(request) or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        prefix = allauth_settings.RATE_LIMIT_IPV6_PREFIX
        return str(ipaddress.IPv6Network(f"{parsed}/{prefix}", strict=False).network_address)
    return address


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth keys its per-account count of failures with this; it is also what a
        # completed password reset clears (for the address it was completed from).
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{counted_address(request)}"
