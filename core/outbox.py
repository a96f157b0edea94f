"""Outboxes: rows waiting to go to another organisation's system (xAPI statements to a
Learning Record Store, scores to a learning platform's gradebook). Each row is sent by
a background task and, while that system is down or refuses it, tried again with
growing waits, so nothing is lost and the learner never waits or sees an error.

An outbox model has `status` ("pending", "sent" or "failed", meaning given up),
`attempts`, `next_attempt_at`, `last_error` and `sent_at`.
"""

import datetime
import logging

from django.db.models import F, Q
from django.utils import timezone

PENDING, SENT, FAILED = "pending", "sent", "failed"

# Tries before a row is given up: the waits between them grow from five minutes to
# over five hours, about ten and a half hours in all, enough to outlast an evening's
# maintenance of the other system.
MAX_TRIES = 8
FIRST_WAIT = datetime.timedelta(minutes=5)
LONGEST_WAIT = datetime.timedelta(hours=6)

logger = logging.getLogger(__name__)


def wait_after(tries):
    return min(FIRST_WAIT * 2 ** (tries - 1), LONGEST_WAIT)


def enqueue(sending_task, row_id, run_after=None):
    if run_after is not None:
        sending_task.using(run_after=run_after).enqueue(row_id)
    else:
        sending_task.enqueue(row_id)


def mark_sent(row):
    type(row).objects.filter(pk=row.pk).update(
        status=SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, next_attempt_at=None
    )


def mark_failed(row, error, sending_task, description):
    """Count a failed try of `row`: plan the next one, or give up after MAX_TRIES.
    `description` names the row in the operators' log ("xAPI statement 1f0… for …")."""
    rows = type(row).objects.filter(pk=row.pk)
    tries = row.attempts + 1
    changes = {"attempts": tries, "last_error": error[:300]}
    if tries >= MAX_TRIES:
        rows.update(status=FAILED, next_attempt_at=None, **changes)
        logger.error("%s given up after %d tries: %s", description, tries, error)
        return
    next_try = timezone.now() + wait_after(tries)
    rows.update(next_attempt_at=next_try, **changes)
    logger.warning("%s failed (try %d), retrying at %s: %s", description, tries, next_try, error)
    # A backend that runs tasks at once (development) cannot wait: the row stays due
    # and the hourly command picks it up.
    if sending_task.get_backend().supports_defer:
        enqueue(sending_task, row.pk, run_after=next_try)


def due(queryset, now=None):
    """The rows of `queryset` waiting to be sent whose next try is due."""
    now = now or timezone.now()
    return queryset.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), status=PENDING
    )


def queue_due(sending_task, queryset, now=None):
    """Queue every row whose next try is due (one whose task was lost, or that waited
    while its destination was turned off). Sending one twice is harmless: each
    destination keeps one copy. Returns how many were queued."""
    ids = list(due(queryset, now).values_list("pk", flat=True))
    for row_id in ids:
        enqueue(sending_task, row_id)
    return len(ids)


def retry_given_up(queryset):
    """Put the given-up rows of `queryset` back in the outbox, due now, with their tries
    counted afresh (after the other system was down for longer, or refused them until
    its settings were put right). Returns how many."""
    return queryset.filter(status=FAILED).update(status=PENDING, attempts=0, next_attempt_at=None)
