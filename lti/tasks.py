"""Background work for the platforms: scores sent to their gradebooks (an outbox,
retried with growing waits while a platform is down, as xapi/tasks.py does), and
cohorts filled from a platform course's roster."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django_tasks import task
from lti_tool.models import LtiUser

from accounts.models import User
from accounts.new_learners import create_learners
from cohorts.assigning import add_members
from core import outbox
from core.outbox import MAX_TRIES

from . import services
from .launches import placeholder_email
from .models import GradeDelivery, RosterImport

__all__ = [
    "MAX_TRIES",
    "deliver_score",
    "enqueue_score",
    "import_roster",
    "retry_given_up",
    "send_due",
]

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


def retry_given_up():
    """Put the given-up scores of active registrations back in the outbox, due now, with
    their tries counted afresh."""
    return outbox.retry_given_up(
        GradeDelivery.objects.filter(lti_user__registration__is_active=True)
    )


def is_learner(member):
    roles = member.get("roles")
    return (
        isinstance(roles, list)
        and bool({role for role in roles if isinstance(role, str)} & LEARNER_ROLES)
        and member.get("status", "Active") == "Active"
    )


@task()
def import_roster(import_id):
    """Fill a cohort with the learners of a platform course: those already linked, and
    new accounts for those whose email no Recognise account uses. Someone whose email
    an unlinked account already has is skipped: only they can link it, by launching.

    The roster is read first, with the count read so far shown on the import's page;
    then everything is saved in one transaction, so a failure adds nobody."""
    claimed = RosterImport.objects.filter(
        uuid=import_id, status__in=[RosterImport.Status.PENDING, RosterImport.Status.RUNNING]
    ).update(status=RosterImport.Status.RUNNING)
    if not claimed:
        return
    roster_import = RosterImport.objects.select_related(
        "context__deployment__registration", "cohort"
    ).get(uuid=import_id)
    unfinished = RosterImport.objects.filter(
        pk=roster_import.pk, status=RosterImport.Status.RUNNING
    )
    registration = roster_import.context.deployment.registration
    try:
        read = services.roster(
            registration,
            roster_import.context.memberships_url,
            on_page=lambda count: unfinished.update(read=count),
        )
    except services.ServiceError as error:
        unfinished.update(
            status=RosterImport.Status.FAILED,
            failure=RosterImport.Failure.PLATFORM,
            error=str(error)[:300],
        )
        return
    learners = [member for member in read.members if is_learner(member)]
    try:
        with transaction.atomic():
            # A second run of the same import (the task queued again) waits here and
            # then finds it finished.
            if not unfinished.select_for_update().exists():
                return
            users, skipped = accounts_for(registration, learners)
            added = add_members(roster_import.cohort, users)
            unfinished.update(
                status=RosterImport.Status.DONE,
                read=len(read.members),
                learners=len(learners),
                added=len(added),
                skipped=skipped,
                cut_short=read.cut_short,
            )
    except IntegrityError as error:
        # Someone signed up or launched with one of the roster's addresses meanwhile.
        unfinished.update(
            status=RosterImport.Status.FAILED,
            failure=RosterImport.Failure.ACCOUNTS_CHANGED,
            error=str(error)[:300],
        )


def in_chunks(values, size=2000):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def text(member, name, length):
    value = member.get(name)
    return value.strip()[:length] if isinstance(value, str) else ""


def usable_email(member):
    """The member's address, lowercased, or "" when it is missing or not an address."""
    email = text(member, "email", 254).lower()
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def accounts_for(registration, members):
    """The Recognise accounts of the roster's learners: those already linked, and new
    learner accounts for the others, in a fixed number of queries per two thousand.
    Returns them and how many were skipped because an unlinked account has their
    address (the first of two members sharing an address gets it)."""
    by_sub = {}
    for member in members:
        by_sub.setdefault(str(member["user_id"])[:255], member)
    known = {}
    for subs in in_chunks(by_sub):
        known.update(
            (lti_user.sub, lti_user)
            for lti_user in LtiUser.objects.filter(
                registration=registration, sub__in=subs
            ).select_related("auth_user")
        )
    users = [lti_user.auth_user for lti_user in known.values() if lti_user.auth_user is not None]
    unlinked = [
        (sub, member, usable_email(member))
        for sub, member in by_sub.items()
        if sub not in known or known[sub].auth_user is None
    ]
    taken = set()
    for chunk in in_chunks({email for _sub, _member, email in unlinked} - {""}):
        taken.update(
            User.objects.annotate(address=Lower("email"))
            .filter(address__in=chunk)
            .values_list("address", flat=True)
        )
    people, new_subs, skipped = [], [], 0
    for sub, member, email in unlinked:
        if email in taken:
            skipped += 1
            continue
        if email:
            taken.add(email)
        people.append((email or placeholder_email(), text(member, "name", 150)))
        new_subs.append((sub, member, email))
    created = create_learners(people)
    new_links, relinked = [], []
    for user, (sub, member, email) in zip(created, new_subs, strict=True):
        lti_user = known.get(sub)
        if lti_user is None:
            new_links.append(
                LtiUser(
                    registration=registration,
                    sub=sub,
                    email=email,
                    name=text(member, "name", 500),
                    auth_user=user,
                )
            )
        else:
            lti_user.auth_user = user
            relinked.append(lti_user)
    LtiUser.objects.bulk_create(new_links, batch_size=1000)
    LtiUser.objects.bulk_update(relinked, ["auth_user"], batch_size=1000)
    return users + created, skipped
