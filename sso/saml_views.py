"""The last step of a SAML sign-in, in front of allauth's: a response already used is
refused, and how the person signed in is kept for the session."""

import binascii
import logging

from allauth.account.internal.decorators import login_not_required
from allauth.core.internal import httpkit
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.saml import views as allauth_saml
from allauth.socialaccount.providers.saml.utils import build_auth, get_app_or_404
from allauth.socialaccount.sessions import LoginSession
from django.http import HttpRequest
from onelogin.saml2.errors import OneLogin_Saml2_Error, OneLogin_Saml2_ValidationError

from .saml import first_use_of, remember_sign_in

logger = logging.getLogger(__name__)


def _valid_auth(request, provider):
    """The response allauth's ACS view kept, checked as allauth checks it, or None."""
    session = LoginSession(request, "saml_acs_session", "saml-acs-session")
    data = session.store.get("request")
    if not data:
        return None
    auth = build_auth(httpkit.deserialize_request(data, HttpRequest()), provider)
    try:
        auth.process_response(request_id=None)
    except (binascii.Error, OneLogin_Saml2_Error, OneLogin_Saml2_ValidationError, ValueError):
        return None
    if auth.get_errors() or not auth.is_authenticated():
        return None
    return auth


@login_not_required
def finish_acs(request, organization_slug):
    provider = get_app_or_404(request, organization_slug).get_provider(request)
    # An invalid response goes on to allauth, which refuses it with its reason.
    auth = _valid_auth(request, provider)
    if auth is not None:
        if not first_use_of(organization_slug, auth):
            logger.warning("SAML response replayed for %s", organization_slug)
            LoginSession(request, "saml_acs_session", "saml-acs-session").delete()
            return render_authentication_error(
                request,
                provider,
                extra_context={
                    "saml_errors": ["replayed"],
                    "saml_last_error_reason": "This sign-in response was already used.",
                },
            )
        remember_sign_in(request, auth)
    return allauth_saml.finish_acs(request, organization_slug=organization_slug)
