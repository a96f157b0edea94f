"""Expiry reminders: 60, 30 and 7 days before a certificate expires, and on expiry."""

import datetime

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.site_urls import absolute_url

from .models import Certificate, ExpiryReminder

WINDOW_DAYS = 60


def reminder_kind(days_left):
    """Which reminder is due with this many days left (None when none is)."""
    if days_left < 0:
        return ExpiryReminder.Kind.EXPIRED
    if days_left <= 7:
        return ExpiryReminder.Kind.DAYS_7
    if days_left <= 30:
        return ExpiryReminder.Kind.DAYS_30
    if days_left <= 60:
        return ExpiryReminder.Kind.DAYS_60
    return None


def due_certificates(today):
    """Unrevoked certificates in the reminder window that have not been renewed."""
    renewed = Certificate.objects.filter(
        user=OuterRef("user"),
        course=OuterRef("course"),
        expires_on__gt=OuterRef("expires_on"),
        revoked_at__isnull=True,
    )
    return (
        Certificate.objects.filter(
            revoked_at__isnull=True,
            expires_on__lte=today + datetime.timedelta(days=WINDOW_DAYS),
            # Expired reminders are sent once; older expiries were dealt with before.
            expires_on__gte=today - datetime.timedelta(days=WINDOW_DAYS),
        )
        .exclude(Exists(renewed))
        .select_related("user")
        .prefetch_related("reminders")
    )


def send_due_reminders(today=None):
    """Send every reminder that is due and not yet sent; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for certificate in due_certificates(today):
        kind = reminder_kind((certificate.expires_on - today).days)
        if kind is None or any(r.kind == kind for r in certificate.reminders.all()):
            continue
        try:
            with transaction.atomic():
                # Recording first makes the reminder once-only even if two runs overlap.
                ExpiryReminder.objects.create(certificate=certificate, kind=kind)
                send_reminder(certificate, kind)
        except IntegrityError:
            continue
        sent += 1
    return sent


def send_reminder(certificate, kind):
    user = certificate.user
    with translation.override(user.preferred_language):
        context = {
            "certificate": certificate,
            "kind": kind,
            "expired": kind == ExpiryReminder.Kind.EXPIRED,
            "days": None if kind == ExpiryReminder.Kind.EXPIRED else int(kind),
            "my_learning_url": absolute_url(reverse("learning:my_learning")),
        }
        subject = render_to_string("certificates/email/reminder_subject.txt", context).strip()
        body = render_to_string("certificates/email/reminder_body.txt", context)
    send_mail(subject, body, None, [user.email])
