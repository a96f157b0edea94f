"""Delivering the outbox: each statement is posted by a background task, and retried
with growing waits while its LRS is unreachable or refuses it."""

import datetime
import logging

from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from .models import StatementDelivery
from .sending import DeliveryError, post_statement

logger = logging.getLogger(__name__)

# Tries before a statement is given up: the waits between them grow from five minutes
# to over five hours, about ten and a half hours in all, enough to outlast an evening's
# maintenance of the LRS.
MAX_TRIES = 8
FIRST_WAIT = datetime.timedelta(minutes=5)
LONGEST_WAIT = datetime.timedelta(hours=6)


def wait_after(tries):
    return min(FIRST_WAIT * 2 ** (tries - 1), LONGEST_WAIT)


def enqueue_delivery(delivery_id, run_after=None):
    if run_after is not None:
        deliver_statement.using(run_after=run_after).enqueue(delivery_id)
    else:
        deliver_statement.enqueue(delivery_id)


@task()
def deliver_statement(delivery_id):
    """Post one waiting statement to its LRS; mark it sent, or plan the next try."""
    delivery = (
        StatementDelivery.objects.select_related("store__organisation")
        .filter(pk=delivery_id, status=StatementDelivery.Status.PENDING, store__enabled=True)
        .first()
    )
    if delivery is None:
        return
    statement = {**delivery.statement, "id": str(delivery.statement_id)}
    try:
        post_statement(delivery.store, statement)
    except DeliveryError as error:
        failed(delivery, str(error))
    else:
        StatementDelivery.objects.filter(pk=delivery.pk).update(
            status=StatementDelivery.Status.SENT,
            sent_at=timezone.now(),
            attempts=F("attempts") + 1,
            next_attempt_at=None,
        )


def failed(delivery, error):
    tries = delivery.attempts + 1
    changes = {"attempts": tries, "last_error": error[:300]}
    if tries >= MAX_TRIES:
        changes.update(status=StatementDelivery.Status.FAILED, next_attempt_at=None)
        StatementDelivery.objects.filter(pk=delivery.pk).update(**changes)
        logger.error(
            "xAPI statement %s for %s given up after %d tries: %s",
            delivery.statement_id,
            delivery.store.organisation,
            tries,
            error,
        )
        return
    next_try = timezone.now() + wait_after(tries)
    changes["next_attempt_at"] = next_try
    StatementDelivery.objects.filter(pk=delivery.pk).update(**changes)
    logger.warning(
        "xAPI statement %s for %s failed (try %d), retrying at %s: %s",
        delivery.statement_id,
        delivery.store.organisation,
        tries,
        next_try,
        error,
    )
    # A backend that runs tasks at once (development) cannot wait: the row stays due
    # and send_lrs_statements picks it up.
    if deliver_statement.get_backend().supports_defer:
        enqueue_delivery(delivery.pk, run_after=next_try)


def due_deliveries(now=None):
    now = now or timezone.now()
    return StatementDelivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status=StatementDelivery.Status.PENDING,
        store__enabled=True,
    )


def send_due(now=None):
    """Queue every statement whose next try is due (one whose task was lost, or that
    waited while its LRS was turned off). Sending one twice is harmless."""
    ids = list(due_deliveries(now).values_list("pk", flat=True))
    for delivery_id in ids:
        enqueue_delivery(delivery_id)
    return len(ids)


# Sent statements are kept a while so operators can see what went where, then deleted:
# each names a learner and their email address, and the LRS holds its own copy.
KEEP_SENT = datetime.timedelta(days=30)


def delete_old_sent(now=None):
    """Delete the statements the LRS confirmed more than KEEP_SENT ago."""
    before = (now or timezone.now()) - KEEP_SENT
    deleted, _ = StatementDelivery.objects.filter(
        status=StatementDelivery.Status.SENT, sent_at__lt=before
    ).delete()
    return deleted


def retry_given_up():
    """Put the given-up statements of enabled stores back in the outbox, due now, with
    their tries counted afresh."""
    return StatementDelivery.objects.filter(
        status=StatementDelivery.Status.FAILED, store__enabled=True
    ).update(status=StatementDelivery.Status.PENDING, attempts=0, next_attempt_at=None)
