from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .forms import DisplayNameForm
from .mfa import has_second_factor
from .roles import roles_for


@require_POST
def switch_language(request):
    """Show the same page in another language, and remember the choice for a signed-in
    user (their emails are sent in it)."""
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        code = settings.LANGUAGE_CODE
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(translate_url(target, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    if request.user.is_authenticated and request.user.preferred_language != code:
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
