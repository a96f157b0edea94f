"""Background work for the platforms: scores sent to their gradebooks (an outbox,
retried with growing waits while a platform is down, as xapi/tasks.py does), and
cohorts filled from a platform course's roster."""

from django.contrib.auth.models import Group
from django.db import transaction
from django_tasks import task
from lti_tool.models import LtiUser

from accounts.models import User
from accounts.roles import LEARNER
from cohorts.assigning import add_members
from core import outbox
from core.outbox import MAX_TRIES

from . import services
from .launches import placeholder_email
from .models import GradeDelivery, RosterImport

__all__ = ["MAX_TRIES", "deliver_score", "enqueue_score", "import_roster", "send_due"]

LEARNER_ROLES = {
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
    "Learner",
}


def enqueue_score(delivery_id, run_after=None):
    outbox.enqueue(deliver_score, delivery_id, run_after)


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
        outbox.mark_failed(delivery, str(error), deliver_score, f"LTI score {delivery.pk}")
    else:
        outbox.mark_sent(delivery)


def send_due(now=None):
    """Queue every score of an active registration whose next try is due. Sending a
    score twice is harmless: the platform keeps the latest."""
    return outbox.queue_due(
        deliver_score, GradeDelivery.objects.filter(lti_user__registration__is_active=True), now
    )


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
