"""The certificate expiry kept on each enrolment for trainers' dashboards, beside the
learning figures that learning.progress_summary keeps; refreshed here whenever a
certificate is issued or revoked."""

from django.db.models import OuterRef, Subquery

from courses.models import Enrolment
from learning import progress_summary

from .models import Certificate


def refresh_certificate_expiry(course_path, enrolment_ids=None):
    """Set when each enrolment's current (latest, unrevoked) certificate expires, for the
    course's enrolments (all of them, or those with these ids), in one UPDATE."""
    enrolments = Enrolment.objects.filter(course__path=course_path)
    if enrolment_ids is not None:
        enrolments = enrolments.filter(pk__in=enrolment_ids)
    current = Certificate.objects.filter(
        user=OuterRef("user"), course=OuterRef("course"), revoked_at__isnull=True
    ).order_by("-expires_on")
    progress_summary.figures_changed(course_path)
    return enrolments.update(certificate_expires_on=Subquery(current.values("expires_on")[:1]))
