"""Significant changes to a course: a publisher says what changed, and the holders of
valid certificates earned on an earlier version are told by email and on My learning.
Nothing is revoked; a holder may take the course again to refresh their certificate."""

import smtplib

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task
from wagtail.models import Page, PageLogEntry

from core.retries import retry_later
from core.site_urls import absolute_url
from learning.rules import FINAL

from .models import Certificate, SignificantChange, SignificantChangeNotice

# Emails are sent through one mail connection per batch, and each batch is marked as
# sent as soon as it has gone, so a worker stopped half way sends only the rest.
EMAIL_BATCH = 100
RECENT_VERSIONS = 20


def course_pages(course):
    """The course page and the pages within it (lessons and assessments)."""
    return Page.objects.descendant_of(course, inclusive=True)


def recent_publications(course, limit=RECENT_VERSIONS):
    """The latest published versions of the course and of the pages within it, newest
    first, each a publish log entry with its revision and page."""
    return (
        PageLogEntry.objects.filter(
            action="wagtail.publish",
            page__in=course_pages(course),
            revision__isnull=False,
        )
        .select_related("revision", "page", "user")
        .order_by("-timestamp", "-pk")[:limit]
    )


def earned_before(change):
    """Certificates earned before the change: for a change to the course page or its
    final assessment, those earned on an earlier version of that page (the revision ids
    kept at issue say so exactly); otherwise, and for certificates issued before
    versions were kept, those issued before the change was published."""
    issued_before = Q(issued_at__lt=change.published_at)
    revision = change.revision
    if revision is None:
        return issued_before
    if revision.object_id == str(change.course_id):
        return Q(course_revision_id__lt=revision.pk) | (
            Q(course_revision__isnull=True) & issued_before
        )
    is_final = (
        Page.objects.filter(pk=revision.object_id, assessmentpage__kind=FINAL)
        .descendant_of(change.course)
        .exists()
    )
    if is_final:
        return Q(assessment_revision_id__lt=revision.pk) | (
            Q(assessment_revision__isnull=True) & issued_before
        )
    return issued_before


def valid_certificates(course, today=None):
    today = today or timezone.localdate()
    return Certificate.objects.filter(course=course, revoked_at__isnull=True, expires_on__gte=today)


def record_notices(change):
    """One notice per holder whose newest valid certificate of the course was earned
    before the change; holders who also hold one earned since are not told."""
    valid = valid_certificates(change.course)
    older = earned_before(change)
    current_holders = valid.exclude(older).values("user_id")
    outdated = (
        valid.filter(older)
        .exclude(user_id__in=current_holders)
        .order_by("user_id", "-issued_at")
        .values_list("pk", "user_id")
    )
    notices, seen = [], set()
    for certificate_id, user_id in outdated.iterator(chunk_size=1000):
        if user_id in seen:
            continue
        seen.add(user_id)
        notices.append(
            SignificantChangeNotice(change=change, user_id=user_id, certificate_id=certificate_id)
        )
    SignificantChangeNotice.objects.bulk_create(notices, batch_size=500, ignore_conflicts=True)
    return len(notices)


@transaction.atomic
def mark_significant_change(course, log_entry, summary, user):
    """Record the change and who must be told of it, and email them once it is saved.
    Marking the same published version again changes nothing."""
    change, created = SignificantChange.objects.get_or_create(
        revision=log_entry.revision,
        defaults={
            "course": course,
            "published_at": log_entry.timestamp,
            "summary": summary,
            "marked_by": user,
        },
    )
    if created:
        record_notices(change)
        transaction.on_commit(lambda: send_change_emails.enqueue(change.pk))
    return change, created


def email_for(notice):
    user = notice.user
    change = notice.change
    with translation.override(user.preferred_language):
        context = {
            "change": change,
            "certificate": notice.certificate,
            "my_learning_url": absolute_url(reverse("learning:my_learning")),
        }
        subject = render_to_string("certificates/email/change_subject.txt", context).strip()
        body = render_to_string("certificates/email/change_body.txt", context)
    return EmailMessage(subject, body, None, [user.email])


@task()
def send_change_emails(change_id, attempt=1):
    """Email every holder told of the change who has not been emailed yet, a batch at a
    time; run again, it sends only what is left, so nobody gets the email twice."""
    pending = SignificantChangeNotice.objects.filter(
        change_id=change_id, emailed_at__isnull=True
    ).select_related("user", "certificate", "change")
    while True:
        with transaction.atomic():
            batch = list(pending.select_for_update(skip_locked=True, of=("self",))[:EMAIL_BATCH])
            if not batch:
                return
            sent = []
            try:
                with get_connection() as connection:
                    for notice in batch:
                        connection.send_messages([email_for(notice)])
                        sent.append(notice.pk)
            except (OSError, smtplib.SMTPException) as error:
                SignificantChangeNotice.objects.filter(pk__in=sent).update(
                    emailed_at=timezone.now()
                )
                retry_later(send_change_emails, change_id, attempt=attempt, error=error)
                return
            SignificantChangeNotice.objects.filter(pk__in=sent).update(emailed_at=timezone.now())


def current_notices(certificates, enrolments=()):
    """The changes the holder has been told of that still concern them, given their
    certificates newest first, each marked whether it has a notice (`earlier_version`,
    as history.certificate_history reads them): those whose certificate is still valid
    and still their newest for its course. No query when none is."""
    newest = {}
    for certificate in certificates:
        newest.setdefault(certificate.course_id, certificate)
    concerned = {
        certificate.pk: certificate
        for certificate in newest.values()
        if certificate.earlier_version and certificate.status() in ("valid", "expiring")
    }
    if not concerned:
        return []
    notices = list(
        SignificantChangeNotice.objects.filter(certificate_id__in=concerned)
        .select_related("change")
        .order_by("-change__marked_at")
    )
    retaking = {e.course_id for e in enrolments if not e.is_complete}
    for notice in notices:
        notice.certificate = concerned[notice.certificate_id]
        notice.retaking = notice.certificate.course_id in retaking
    return notices
