"""Revoking certificates: by a publisher with a reason, or when the holder deletes their
account. Either way the public check says revoked from then on, and it is audited."""

from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.records import CURRENT_USER, record

from .figures import refresh_certificate_expiry
from .models import Certificate
from .openbadges import forget_status_lists
from .verification_cache import forget_verification

# Stored on certificates withdrawn because their holder erased their account. It names
# nobody, like the certificate itself from then on.
ACCOUNT_DELETED_REASON = "The holder deleted their account."


@transaction.atomic
def revoke(certificate, reason, *, actor=CURRENT_USER, actor_label=None, with_address=True):
    """Revoke the certificate unless it already is; returns whether this call revoked it."""
    updated = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )
    certificate.refresh_from_db()
    if updated:
        forget_verification(certificate.code)
        # The signed status lists are signed again with this certificate's bit set.
        forget_status_lists()
        refresh_certificate_expiry(certificate.course.path, [certificate.enrolment_id])
        record(
            Action.CERTIFICATE_REVOKED,
            f"Certificate {certificate.formatted_code} for “{certificate.course_title}” "
            f"revoked: {reason}",
            actor=actor,
            actor_label=actor_label,
            with_address=with_address,
            data={"certificate_id": str(certificate.pk), "reason": reason},
        )
    return bool(updated)


@transaction.atomic
def revoke_and_erase_holder(certificate, actor_label):
    """Withdraw a certificate whose holder is erasing their account: revoked (if it was
    not already), their name blanked and the PDF that shows it removed."""
    revoke(
        certificate,
        ACCOUNT_DELETED_REASON,
        actor=None,
        actor_label=actor_label,
        with_address=False,
    )
    # Certificate.save() refuses changes to frozen fields; erasure is the one change to
    # them that is allowed, so it is made with an update.
    Certificate.objects.filter(pk=certificate.pk).update(holder_name="", pdf="")
    forget_verification(certificate.code)
    if certificate.pdf:
        name, storage = certificate.pdf.name, certificate.pdf.storage
        # Files are outside the transaction: remove the PDF only once erasure is final.
        transaction.on_commit(lambda: storage.delete(name))
