from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .forms import DisplayNameForm
from .languages import is_available_in
from .mfa import has_second_factor
from .roles import roles_for


def is_local_path(target, request):
    """An address on this site that starts with "/": not another site ("//host",
    "https://host"), and not a bare word, which redirect() would take for a view name."""
    return target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@require_http_methods(["GET", "POST"])
def switch_language(request):
    """Show the same page in another language, and remember the choice: in the language
    cookie, which picks the language of addresses without one ("/", where signing in
    lands), and, posted by a signed-in user, on their account (their emails are sent in
    it).

    Visitors who are not signed in follow a link (GET), so that their pages carry nothing
    of their own and are kept whole in the page cache; a link changes only the cookie.
    """
    data = request.POST if request.method == "POST" else request.GET
    code = data.get("language", "")
    if code not in dict(settings.LANGUAGES):
        code = settings.LANGUAGE_CODE
    target = data.get("next", "/")
    if not is_local_path(target, request):
        target = "/"
    # The address is resolved in its own language, whatever the cookie says.
    with translation.override(translation.get_language_from_path(target) or code):
        translated = translate_url(target, code)
    if is_available_in(request, urlsplit(translated).path, code):
        response = HttpResponseRedirect(translated)
    else:
        with translation.override(code):
            messages.info(request, _("This page is not available in this language yet."))
        response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and request.user.preferred_language != code
    ):
        request.user.preferred_language = code
        request.user.save(update_fields=["preferred_language"])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The signed-in user's own account: name, roles, organisations, security."""
    user = request.user
    form = DisplayNameForm(request.POST if request.method == "POST" else None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your details have been updated."))
        return redirect("accounts:profile")
    memberships = user.memberships.select_related("organisation", "organisation__parent")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "role_labels": roles_for(user).labels,
            "memberships": memberships,
            "has_second_factor": has_second_factor(user),
        },
    )


@require_GET
def privacy(request):
    """The privacy notice: what is kept, why, for how long, who sees it, and your rights."""
    return render(
        request,
        "accounts/privacy.html",
        {
            "issuer_name": settings.CERTIFICATE_ISSUER_NAME,
            "audit_log_days": settings.AUDIT_LOG_RETENTION_DAYS,
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        },
    )
