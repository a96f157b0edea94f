"""Background work for the platforms: scores sent to their gradebooks (an outbox,
retried with growing waits while a platform is down, as xapi/tasks.py does), and
cohorts filled from a platform course's roster."""

import datetime
import logging

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task
from lti_tool.models import LtiUser

from accounts.models import User
from accounts.roles import LEARNER
from cohorts.assigning import add_members

from . import services
from .launches import placeholder_email
from .models import GradeDelivery, RosterImport

logger = logging.getLogger(__name__)

# Tries before a score is given up: the waits grow from five minutes to six hours,
# about ten and a half hours in all, enough to outlast an evening's maintenance.
MAX_TRIES = 8
FIRST_WAIT = datetime.timedelta(minutes=5)
LONGEST_WAIT = datetime.timedelta(hours=6)
LEARNER_ROLES = {
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
    "Learner",
}


def wait_after(tries):
    return min(FIRST_WAIT * 2 ** (tries - 1), LONGEST_WAIT)


def enqueue_score(delivery_id, run_after=None):
    if run_after is not None:
        deliver_score.using(run_after=run_after).enqueue(delivery_id)
    else:
        deliver_score.enqueue(delivery_id)


@task()
def deliver_score(delivery_id):
    """Post one waiting score to its platform's line item; mark it sent, or plan the
    next try."""
    delivery = (
        GradeDelivery.objects.select_related("lti_user__registration")
        .filter(
            pk=delivery_id,
            status=GradeDelivery.Status.PENDING,
            lti_user__registration__is_active=True,
        )
        .first()
    )
    if delivery is None:
        return
    try:
        services.post_score(delivery.lti_user.registration, delivery.lineitem_url, delivery.score)
    except services.ServiceError as error:
        failed(delivery, str(error))
    else:
        GradeDelivery.objects.filter(pk=delivery.pk).update(
            status=GradeDelivery.Status.SENT,
            sent_at=timezone.now(),
            attempts=F("attempts") + 1,
            next_attempt_at=None,
        )


def failed(delivery, error):
    tries = delivery.attempts + 1
    changes = {"attempts": tries, "last_error": error[:300]}
    if tries >= MAX_TRIES:
        changes.update(status=GradeDelivery.Status.FAILED, next_attempt_at=None)
        GradeDelivery.objects.filter(pk=delivery.pk).update(**changes)
        logger.error("LTI score %s given up after %d tries: %s", delivery.pk, tries, error)
        return
    next_try = timezone.now() + wait_after(tries)
    changes["next_attempt_at"] = next_try
    GradeDelivery.objects.filter(pk=delivery.pk).update(**changes)
    logger.warning(
        "LTI score %s failed (try %d), retrying at %s: %s", delivery.pk, tries, next_try, error
    )
    # A backend that runs tasks at once (development) cannot wait: the row stays due
    # and send_lti_scores picks it up.
    if deliver_score.get_backend().supports_defer:
        enqueue_score(delivery.pk, run_after=next_try)


def due_scores(now=None):
    now = now or timezone.now()
    return GradeDelivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status=GradeDelivery.Status.PENDING,
        lti_user__registration__is_active=True,
    )


def send_due(now=None):
    """Queue every score whose next try is due (one whose task was lost). Sending a
    score twice is harmless: the platform keeps the latest."""
    ids = list(due_scores(now).values_list("pk", flat=True))
    for delivery_id in ids:
        enqueue_score(delivery_id)
    return len(ids)


def is_learner(member):
    roles = set(member.get("roles", []))
    return bool(roles & LEARNER_ROLES) and member.get("status", "Active") == "Active"


@task()
def import_roster(import_id):
    """Fill a cohort with the learners of a platform course: those already linked, and
    new accounts for those whose email no Recognise account uses. Someone whose email
    an unlinked account already has is skipped: only they can link it, by launching."""
    roster_import = (
        RosterImport.objects.select_related("context__deployment__registration", "cohort")
        .filter(uuid=import_id, status=RosterImport.Status.PENDING)
        .first()
    )
    if roster_import is None:
        return
    registration = roster_import.context.deployment.registration
    try:
        members = [
            member
            for member in services.roster(registration, roster_import.context.memberships_url)
            if is_learner(member) and member.get("user_id")
        ]
    except services.ServiceError as error:
        RosterImport.objects.filter(pk=roster_import.pk).update(
            status=RosterImport.Status.FAILED, error=str(error)[:300]
        )
        return
    users, skipped = accounts_for(registration, members)
    added = add_members(roster_import.cohort, users)
    RosterImport.objects.filter(pk=roster_import.pk).update(
        status=RosterImport.Status.DONE, added=len(added), skipped=skipped
    )


@transaction.atomic
def accounts_for(registration, members):
    """The Recognise accounts of the roster's members, in a fixed number of queries
    for those already known, and a few per new account."""
    by_sub = {str(member["user_id"]): member for member in members}
    known = {
        lti_user.sub: lti_user
        for lti_user in LtiUser.objects.filter(
            registration=registration, sub__in=by_sub
        ).select_related("auth_user")
    }
    emails = {
        (member.get("email") or "").strip().lower()
        for member in by_sub.values()
        if member.get("email")
    }
    taken = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    learner_group = Group.objects.get(name=LEARNER)
    users, skipped = [], 0
    for sub, member in by_sub.items():
        lti_user = known.get(sub)
        if lti_user is not None and lti_user.auth_user is not None:
            users.append(lti_user.auth_user)
            continue
        email = (member.get("email") or "").strip().lower()
        if email in taken:
            skipped += 1
            continue
        user = User.objects.create_user(
            email=email or placeholder_email(), display_name=(member.get("name") or "")[:150]
        )
        user.groups.add(learner_group)
        if lti_user is None:
            LtiUser.objects.create(
                registration=registration,
                sub=sub,
                email=email,
                name=(member.get("name") or "")[:500],
                auth_user=user,
            )
        else:
            LtiUser.objects.filter(pk=lti_user.pk).update(auth_user=user)
        users.append(user)
    return users, skipped
