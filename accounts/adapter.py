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
from django.urls import reverse

from core.client_address import client_address

from .roles import roles_for


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

    def get_login_redirect_url(self, request):
        """Where each person's work is. allauth asks only when the sign-in was not on its
        way somewhere else (a safe ?next= is followed first)."""
        return landing_url(request.user)

    def get_signup_redirect_url(self, request):
        """Someone whose account was just made at their first sign-in through their
        organisation's identity provider starts where every learner does. (A password
        sign-up is asked to confirm its address first, and lands on sign-in.)"""
        if request.user.is_authenticated:
            return landing_url(request.user)
        return super().get_signup_redirect_url(request)


def landing_url(user):
    # Named routes only: the pages belong to apps above accounts, which are not imported.
    roles = roles_for(user)
    if roles.can_use_admin:
        return reverse("wagtailadmin_home")
    if roles.is_trainer:
        return reverse("cohorts:overview")
    return reverse("learning:my_learning")
