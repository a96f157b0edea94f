"""Issuing certificates: once per completion, frozen, with the PDF made at issue."""

import calendar
import datetime
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import Action
from audit.records import record, user_label
from learning.rules import required_assessments

from .figures import refresh_certificate_expiry
from .models import Certificate
from .pdf_files import store_pdf
from .tasks import build_certificate_pdf, send_certificate_email

logger = logging.getLogger(__name__)

# Status list positions are random (so a position says nothing about when a
# certificate was issued) within a list of 2^20 entries.
STATUS_LIST_SIZE = 2**20


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def free_status_index():
    for _attempt in range(20):
        index = secrets.randbelow(STATUS_LIST_SIZE)
        if not Certificate.objects.filter(status_index=index).exists():
            return index
    raise RuntimeError("The certificate status list is nearly full.")


def earned_on(course):
    """The live versions of the course and of its final assessment, as revision ids."""
    assessment_revision_id = (
        required_assessments(course)
        .order_by("-last_published_at")
        .values_list("live_revision_id", flat=True)
        .first()
    )
    return course.live_revision_id, assessment_revision_id


def issue_certificate_for(enrolment):
    """The certificate for this completion of the course, issuing it the first time.

    Safe to call again or concurrently: the database allows one certificate per
    (enrolment, completion time), and a second caller gets the first certificate.
    """
    if enrolment.completed_at is None:
        raise ValueError("The enrolment is not complete.")
    existing = Certificate.objects.filter(
        enrolment=enrolment, completed_at=enrolment.completed_at
    ).first()
    if existing:
        return existing

    course = enrolment.course
    user = enrolment.user
    completed_on = timezone.localdate(enrolment.completed_at)
    course_revision_id, assessment_revision_id = earned_on(course)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    user=user,
                    enrolment=enrolment,
                    course=course,
                    completed_at=enrolment.completed_at,
                    holder_name=user.display_name or user.email,
                    course_title=course.title,
                    sectors=", ".join(str(label) for label in course.sector_labels()),
                    cpd_hours=course.cpd_hours,
                    completed_on=completed_on,
                    expires_on=add_months(completed_on, course.certificate_validity_months),
                    issuer_name=settings.CERTIFICATE_ISSUER_NAME,
                    status_index=free_status_index(),
                    course_revision_id=course_revision_id,
                    assessment_revision_id=assessment_revision_id,
                )
        except IntegrityError:
            existing = Certificate.objects.filter(
                enrolment=enrolment, completed_at=enrolment.completed_at
            ).first()
            if existing:
                return existing
            continue  # a status index or code collided; draw again
        break
    else:
        raise RuntimeError("Could not issue a certificate.")

    refresh_certificate_expiry(course.path, [enrolment.pk])
    record(
        Action.CERTIFICATE_ISSUED,
        f"Certificate {certificate.formatted_code} for “{certificate.course_title}” "
        f"issued to {user_label(user)}",
        data={"certificate_id": str(certificate.pk), "user_id": user.pk},
    )
    try:
        # A savepoint, so a renderer or storage failure leaves the issued certificate.
        with transaction.atomic():
            store_pdf(certificate)
    except Exception:
        # The certificate and the completion matter more than its PDF: issue it now and
        # build the PDF in the background (the download page builds it too if asked).
        logger.exception("Certificate %s PDF failed; building it later", certificate.pk)
        transaction.on_commit(lambda: enqueue_pdf_build(certificate.pk))
    transaction.on_commit(lambda: enqueue_certificate_email(certificate.pk))
    return certificate


def enqueue_pdf_build(certificate_id):
    build_certificate_pdf.enqueue(str(certificate_id))


def enqueue_certificate_email(certificate_id):
    send_certificate_email.enqueue(str(certificate_id))
