"""Trainers' pages for their organisation's API tokens: list, create, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cohorts.access import trainer_organisations

from .models import ApiToken
from .token_forms import ApiTokenForm
from .tokens import create_token, revoke_token


def tokens_for(user):
    return ApiToken.objects.filter(organisation__in=trainer_organisations(user)).select_related(
        "organisation", "created_by"
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The organisation's tokens; a new one is shown once, on the page that made it."""
    organisations = trainer_organisations(request.user)
    form = ApiTokenForm(request.POST or None, organisations=organisations)
    new_key = None
    if request.method == "POST" and form.is_valid():
        token, new_key = create_token(
            form.cleaned_data["organisation"], form.cleaned_data["name"], request.user
        )
        form = ApiTokenForm(organisations=organisations)
    tokens = tokens_for(request.user).filter(revoked_at__isnull=True)
    return render(
        request,
        "reports/api_tokens.html",
        {
            "form": form,
            "tokens": tokens,
            "new_key": new_key,
            "organisations": organisations,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def revoke_api_token(request, token_id):
    """Asks first; revoking takes effect on the token's next request."""
    token = tokens_for(request.user).filter(pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    if request.method == "POST":
        revoke_token(token, request.user)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("reports:api_tokens")
    return render(request, "reports/api_token_revoke.html", {"token": token})
