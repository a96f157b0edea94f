import json

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import Action
from audit.records import record

from .forms import DeleteAccountForm
from .personal_data import erase_account, personal_data


@login_required
@require_POST
@never_cache
def download_data(request):
    """Everything held about the signed-in user, as a JSON file ("Download my data")."""
    content = json.dumps(
        personal_data(request.user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
    )
    record(Action.DATA_EXPORTED, "Downloaded a copy of their personal data")
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    filename = f"recognise-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """Says what deleting the account does, asks for the password, then erases it."""
    user = request.user
    if user.is_superuser:
        # The site must never be left without an administrator by one click.
        return render(request, "privacy/delete_account.html", {"refused": True}, status=403)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        erase_account(user)
        logout(request)
        return redirect("privacy:account_deleted")
    return render(
        request,
        "privacy/delete_account.html",
        {"form": form, "certificate_count": user.certificates.filter(revoked_at=None).count()},
    )


@require_GET
def account_deleted(request):
    return render(request, "privacy/account_deleted.html")
