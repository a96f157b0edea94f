from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import DisplayNameForm
from .mfa import has_second_factor
from .roles import roles_for


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The signed-in user's own account: name, roles, organisations, security."""
    user = request.user
    form = DisplayNameForm(request.POST if request.method == "POST" else None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your name has been updated."))
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
