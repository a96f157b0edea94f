import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .mfa import has_second_factor, staff_passed_second_factor
from .roles import roles_for

# Staff areas are checked whatever the language: /cy/trainer/ is /trainer/.
LANGUAGE_CODES = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
LANGUAGE_PREFIX = re.compile(rf"^/(?:{LANGUAGE_CODES})/")


class StaffAreaAccessMiddleware:
    """Guards the staff areas (the Wagtail admin and trainer pages).

    A signed-in user who may not use the admin gets a 403 rather than Wagtail's
    redirect to a login page they are already past. Staff need a second factor
    passed in this very session, however the session was made, and an
    authenticator still set up: those without one are sent to set one up (which
    counts for the session), those with one to enter a code from it, and then
    back where they were going. A sign-in at an organisation's identity provider
    counts instead when the organisation trusts that provider's multi-factor
    authentication and the provider asserted it (sso/).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.STAFF_AREA_PATH_PREFIXES)

    def __call__(self, request):
        user = request.user
        path = LANGUAGE_PREFIX.sub("/", request.path_info)
        if user.is_authenticated and path.startswith(self.prefixes):
            roles = roles_for(user)
            if path.startswith("/admin/") and not roles.can_use_admin:
                raise PermissionDenied
            if roles.needs_mfa and not staff_passed_second_factor(request):
                return second_factor_step(request)
        response = self.get_response(request)
        if request.path_info.startswith("/admin/") and is_admin_permission_redirect(
            request, response
        ):
            raise PermissionDenied
        return response


def second_factor_step(request):
    """Where a member of staff goes when this session has not passed a second factor."""
    if not has_second_factor(request.user):
        messages.warning(
            request,
            _(
                "Your role gives you access to other people's records or to "
                "publishing, so you must set up two-factor authentication first."
            ),
        )
        return redirect("mfa_activate_totp")
    messages.info(
        request,
        _("To open this page, confirm it is you with your two-factor authentication."),
    )
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('mfa_reauthenticate')}?{query}")


# Wagtail's admin answers "no permission" with a redirect to its dashboard and this
# message; the platform answers 403, so nobody can tell a page exists from the redirect.
WAGTAIL_PERMISSION_DENIED = "Sorry, you do not have permission to access this area."


def is_admin_permission_redirect(request, response):
    if response.status_code != 302 or response.get("Location") != reverse("wagtailadmin_home"):
        return False
    storage = messages.get_messages(request)
    queued = getattr(storage, "_queued_messages", [])
    texts = {WAGTAIL_PERMISSION_DENIED, _(WAGTAIL_PERMISSION_DENIED)}
    denied = [m for m in queued if any(text in str(m.message) for text in texts)]
    for message in denied:
        queued.remove(message)
    return bool(denied)
