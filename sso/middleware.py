"""A member of an organisation that requires its own sign-in service, who signed in with
their password because they had not yet connected it, may only connect it: every other
page leads back to the page that does (allauth's connections page). The mark is in the
session alone, so other people's requests cost nothing."""

from django.http import HttpResponseRedirect
from django.urls import reverse

MUST_CONNECT = "sso_must_connect"


def connecting_paths():
    """Where such a person may still go: the connections page, the providers' sign-in
    and return addresses, confirming their password or second factor, and signing out."""
    return (
        reverse("socialaccount_connections"),
        reverse("account_reauthenticate"),
        reverse("mfa_reauthenticate"),
        reverse("mfa_authenticate"),
        reverse("account_logout"),
        "/sso/",
        "/accounts/saml/",
    )


class ConnectRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(MUST_CONNECT) and not self.may_visit(request.path):
            if not request.user.is_authenticated:
                # Signed out (or the session ended): nothing left to enforce.
                request.session.pop(MUST_CONNECT, None)
            else:
                return HttpResponseRedirect(reverse("socialaccount_connections"))
        return self.get_response(request)

    @staticmethod
    def may_visit(path):
        # LocaleMiddleware has already made the path's language the active one, so the
        # addresses are reversed in it.
        return path.startswith(connecting_paths())
