"""Delivering the outbox: each statement is posted by a background task, and retried
with growing waits while its LRS is unreachable or refuses it."""

import datetime

from django.utils import timezone
from django_tasks import task

from core import outbox
from core.outbox import MAX_TRIES

from .models import StatementDelivery
from .sending import DeliveryError, post_statement

__all__ = ["MAX_TRIES", "deliver_statement", "enqueue_delivery", "send_due"]


def enqueue_delivery(delivery_id, run_after=None):
    outbox.enqueue(deliver_statement, delivery_id, run_after)


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
        description = f"xAPI statement {delivery.statement_id} for {delivery.store.organisation}"
        outbox.mark_failed(delivery, str(error), deliver_statement, description)
    else:
        outbox.mark_sent(delivery)


def send_due(now=None):
    """Queue every statement of an enabled store whose next try is due."""
    return outbox.queue_due(
        deliver_statement, StatementDelivery.objects.filter(store__enabled=True), now
    )


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
    return outbox.retry_given_up(StatementDelivery.objects.filter(store__enabled=True))
