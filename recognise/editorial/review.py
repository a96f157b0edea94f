"""Keeping content current: what is due for review, and reminding its owners."""

import datetime

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.site_urls import absolute_url
from courses.models import CoursePage
from guidance.models import GuidancePage

from .models import ReviewReminder

DUE_WITHIN_DAYS = 30
REVIEWED_TYPES = (CoursePage, GuidancePage)


def content_due_for_review(today=None):
    """Courses and guidance whose next review has passed or falls within 30 days."""
    today = today or timezone.localdate()
    limit = today + datetime.timedelta(days=DUE_WITHIN_DAYS)
    rows = []
    for model in REVIEWED_TYPES:
        pages = (
            model.objects.filter(next_review__lte=limit)
            .select_related("owner", "contributing_organisation")
            .order_by("next_review")
        )
        rows.extend(pages)
    return sorted(rows, key=lambda page: (page.next_review, page.title))


def send_due_review_reminders(today=None):
    """Email each due page's owner once for each review date; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for page in content_due_for_review(today):
        owner = page.owner
        if owner is None or not owner.email or not owner.is_active:
            continue
        try:
            with transaction.atomic():
                ReviewReminder.objects.create(page_id=page.pk, next_review=page.next_review)
                with translation.override(owner.preferred_language):
                    context = {
                        "page": page,
                        "overdue": page.next_review < today,
                        "edit_url": absolute_url(f"/admin/pages/{page.pk}/edit/"),
                    }
                    subject = render_to_string(
                        "editorial/email/review_due_subject.txt", context
                    ).strip()
                    body = render_to_string("editorial/email/review_due_body.txt", context)
                send_mail(subject, body, None, [owner.email])
        except IntegrityError:
            continue
        sent += 1
    return sent
