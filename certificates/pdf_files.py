"""A certificate's PDF file: drawn, then kept in the certificates' private storage."""

from django.core.files.base import ContentFile
from django.db import transaction

from core.site_urls import absolute_url

from .models import Certificate
from .pdf import certificate_pdf


def store_pdf(certificate):
    """Render the certificate's PDF and keep it, unless another build kept one first.

    The certificate refers to the file only once it is completely written. A file at its
    name that the certificate does not refer to was left half-written by a build that
    was stopped (a worker killed mid-write): it is replaced, so no partial copy of a
    learner's certificate stays in storage. Builds of one certificate take turns (the
    row is locked), so none replaces a file another is still writing. A certificate whose
    file has gone missing from storage gets it built again.
    """
    content = certificate_pdf(
        certificate,
        absolute_url(certificate.get_verification_url()),
        language=certificate.user.preferred_language,
    )
    with transaction.atomic():
        kept = (
            Certificate.objects.select_for_update()
            .filter(pk=certificate.pk)
            .values_list("pdf", flat=True)
            .first()
        )
        # A name whose file is gone (a lost or moved file) is built again, like no name.
        if kept and certificate.pdf.storage.exists(kept):
            certificate.pdf.name = kept
            return
        name = certificate.pdf.field.generate_filename(certificate, f"{certificate.pk}.pdf")
        if certificate.pdf.storage.exists(name):
            certificate.pdf.storage.delete(name)
        certificate.pdf.save(name.rsplit("/", 1)[-1], ContentFile(content), save=False)
        # The file field is not a frozen field, so this update is allowed.
        Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
