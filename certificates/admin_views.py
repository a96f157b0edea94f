from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from .models import Certificate

REVOKE_ACTION = "recognise.certificate.revoke"


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=gettext_lazy("Recorded in the audit log; not shown on the public check."),
        error_messages={"required": gettext_lazy("Give a reason for revoking the certificate.")},
    )


def revoke(request, pk):
    """Publishers withdraw a certificate; verification says revoked from then on."""
    if not request.user.has_perm("certificates.revoke_certificate"):
        raise PermissionDenied
    certificate = get_object_or_404(Certificate, pk=pk)
    form = RevokeForm(request.POST or None)
    if certificate.is_revoked:
        messages.warning(request, _("This certificate is already revoked."))
        return redirect("issued_certificates:inspect", certificate.pk)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            updated = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
                revoked_at=timezone.now(), revoked_reason=form.cleaned_data["reason"]
            )
            if updated:
                certificate.refresh_from_db()
                log(
                    instance=certificate,
                    action=REVOKE_ACTION,
                    user=request.user,
                    data={"reason": form.cleaned_data["reason"]},
                )
        messages.success(request, _("The certificate has been revoked."))
        return redirect("issued_certificates:inspect", certificate.pk)
    return TemplateResponse(
        request,
        "certificates/admin/revoke.html",
        {"certificate": certificate, "form": form},
    )
