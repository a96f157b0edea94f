from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.strict_parsing import parse_uuid

from .models import Certificate
from .revoking import revoke as revoke_certificate


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
    certificate_id = parse_uuid(pk)
    if certificate_id is None:
        raise Http404
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    form = RevokeForm(request.POST or None)
    if certificate.is_revoked:
        messages.warning(request, _("This certificate is already revoked."))
        return redirect("issued_certificates:inspect", certificate.pk)
    if request.method == "POST" and form.is_valid():
        revoke_certificate(certificate, form.cleaned_data["reason"])
        messages.success(request, _("The certificate has been revoked."))
        return redirect("issued_certificates:inspect", certificate.pk)
    return TemplateResponse(
        request,
        "certificates/admin/revoke.html",
        {"certificate": certificate, "form": form},
    )
