"""Statements about what a learner did, put in the outbox of each of their
organisations' Learning Record Stores within the same transaction, and sent once it
commits."""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from certificates.models import Certificate
from learning.signals import attempt_marked, course_completed, lesson_completed

from . import statements
from .models import LearningRecordStore, StatementDelivery
from .tasks import enqueue_delivery

logger = logging.getLogger(__name__)


def stores_for(user_id):
    """The enabled LRSs of the learner's organisations: one query, and nothing else is
    done for a learner whose organisations have none."""
    return list(
        LearningRecordStore.objects.filter(
            enabled=True, organisation__memberships__user_id=user_id
        ).distinct()
    )


def put_in_outbox(user_id, build):
    stores = stores_for(user_id)
    if not stores:
        return
    try:
        # A savepoint: the learner's progress matters more than the report of it, so a
        # statement that cannot be written never undoes what the learner did.
        with transaction.atomic():
            statement = build()
            deliveries = StatementDelivery.objects.bulk_create(
                [
                    StatementDelivery(store=store, learner_id=user_id, statement=statement)
                    for store in stores
                ]
            )
    except Exception:
        logger.exception("xAPI statement for user %s could not be written", user_id)
        return
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: enqueue_delivery(pk))


@receiver(lesson_completed, dispatch_uid="xapi.lesson_completed")
def on_lesson_completed(sender, completion, **kwargs):
    put_in_outbox(completion.enrolment.user_id, lambda: statements.lesson_completed(completion))


@receiver(attempt_marked, dispatch_uid="xapi.attempt_marked")
def on_attempt_marked(sender, attempt, **kwargs):
    put_in_outbox(attempt.user_id, lambda: statements.attempt_marked(attempt))


@receiver(course_completed, dispatch_uid="xapi.course_completed")
def on_course_completed(sender, enrolment, **kwargs):
    put_in_outbox(enrolment.user_id, lambda: statements.course_completed(enrolment))


@receiver(post_save, sender=Certificate, dispatch_uid="xapi.certificate_issued")
def on_certificate_issued(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        put_in_outbox(instance.user_id, lambda: statements.certificate_earned(instance))
