"""The certificates a person holds, as My learning and their trainer list them."""

from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core.page_languages import original

from .models import Certificate, SignificantChangeNotice
from .significant_changes import current_notices


def certificate_history(user, enrolments):
    """Every certificate the user holds, newest first; only the latest per course can be
    refreshed, and only while its course is not already being retaken."""
    retaking = {e.course_id for e in enrolments if not e.is_complete}
    labels = {
        "valid": _("Valid"),
        "expiring": _("Expiring soon"),
        "expired": _("Expired"),
        "revoked": _("Revoked"),
    }
    certificates = list(
        Certificate.objects.for_holder(user)
        .annotate(
            # Its holder was told of a significant change to the course made since.
            earlier_version=Exists(
                SignificantChangeNotice.objects.filter(certificate=OuterRef("pk"))
            )
        )
        .order_by("-completed_at")
    )
    seen = set()
    for certificate in certificates:
        status = certificate.status()
        certificate.status_label = labels[status]
        certificate.can_refresh = (
            certificate.course_id not in seen
            and certificate.course_id not in retaking
            and status in ("expiring", "expired")
        )
        seen.add(certificate.course_id)
    return certificates


def my_certificates(request, enrolments):
    """My learning's certificates, and notices of significant changes to their courses
    (core.page_context)."""
    certificates = certificate_history(request.user, enrolments)
    return {
        "certificates": certificates,
        "change_notices": current_notices(certificates, enrolments),
    }


def latest_certificate(user, course):
    """The newest certificate the user holds for this course (its default-language page),
    or None."""
    if not user.is_authenticated:
        return None
    return (
        Certificate.objects.for_holder(user)
        .filter(course_id=original(course).pk)
        .order_by("-completed_at")
        .first()
    )


def course_certificate(request, page=None, course=None):
    """The certificate a completion panel links to, on a course page or an assessment's
    result (core.page_context). It is looked up only if the panel asks for it: most
    readers of a course page have not completed it, and are shown no panel."""
    return {
        "latest_certificate": SimpleLazyObject(
            lambda: latest_certificate(request.user, page or course)
        )
    }
