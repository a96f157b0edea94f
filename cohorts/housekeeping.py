"""Keeping cohorts true to life: removing leavers, renaming and archiving cohorts,
moving or cancelling due dates, and withdrawing invitations. Each change is audited.

Removing a learner takes away only their place in the cohort: their enrolments,
progress and certificates stay theirs, and so does their place in the organisation.
"""

from django.db import transaction
from django.utils import timezone

from audit.models import Action
from audit.records import record, user_label
from learning.rules import Status

from .dashboard import learner_rows
from .due_date_emails import queue_due_date_emails
from .models import Cohort, CohortMember, EmailInvitation, InvitationLink


class ArchivedCohort(Exception):
    """The cohort is archived: it takes no new members or assignments."""


def refuse_if_archived(cohort):
    if cohort.archived_at is not None:
        raise ArchivedCohort


@transaction.atomic
def remove_member(cohort, user, removed_by):
    """Take the learner out of the cohort; False when they were no longer in it.

    Deleting the membership sends post_delete, which replaces the cohort's membership
    version (cohorts.receivers), as adding does, so the dashboards count again."""
    # Locked, so two removals sent at once record one removal.
    membership = CohortMember.objects.select_for_update().filter(cohort=cohort, user=user).first()
    if membership is None:
        return False
    membership.delete()
    record(
        Action.COHORT_MEMBER_REMOVED,
        f"Removed {user_label(user)} from cohort “{cohort.name}”",
        data={"cohort_id": cohort.pk, "user_id": user.pk},
    )
    return True


@transaction.atomic
def rename_cohort(cohort, name):
    previous = cohort.name
    if previous == name:
        return False
    cohort.name = name
    cohort.save(update_fields=["name"])
    record(
        Action.COHORT_RENAMED,
        f"Cohort “{previous}” renamed “{name}”",
        data={"cohort_id": cohort.pk, "previous_name": previous, "name": name},
    )
    return True


@transaction.atomic
def set_archived(cohort, archived):
    """Archive or unarchive the cohort; False when it already was as asked."""
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if (locked.archived_at is not None) == archived:
        cohort.archived_at = locked.archived_at
        return False
    cohort.archived_at = timezone.now() if archived else None
    cohort.save(update_fields=["archived_at"])
    record(
        Action.COHORT_ARCHIVED if archived else Action.COHORT_UNARCHIVED,
        f"Cohort “{cohort.name}” {'archived' if archived else 'unarchived'}",
        data={"cohort_id": cohort.pk},
    )
    return True


def learners_to_tell(assignment):
    """The learners an assignment still asks something of: those who have not met it."""
    return list(
        learner_rows(assignment)
        .exclude(status=Status.COMPLETED)
        .order_by()
        .values_list("pk", flat=True)
    )


@transaction.atomic
def change_due_date(assignment, due_date):
    """Move the due date and email the learners who have yet to meet it; False when the
    date is the one already set.

    Reminders already sent were about the old date, so they go: the new date earns its
    own "due soon" and "overdue" reminders.
    """
    previous = assignment.due_date
    if previous == due_date:
        return False
    assignment.due_date = due_date
    assignment.save(update_fields=["due_date"])
    assignment.reminders.all().delete()
    record(
        Action.ASSIGNMENT_DUE_DATE_CHANGED,
        f"Due date of “{assignment.course.title}” for {target(assignment)} moved "
        f"from {previous:%Y-%m-%d} to {due_date:%Y-%m-%d}",
        data={
            "assignment_id": assignment.pk,
            "cohort_id": assignment.cohort_id,
            "previous_due_date": previous.isoformat(),
            "due_date": due_date.isoformat(),
        },
    )
    queue_due_date_emails(learners_to_tell(assignment), assignment.course_id, previous, due_date)
    return True


@transaction.atomic
def cancel_assignment(assignment):
    """Remove the assignment (the learners' enrolments stay theirs) and tell the learners
    who had yet to meet it."""
    learners = learners_to_tell(assignment)
    record(
        Action.ASSIGNMENT_CANCELLED,
        f"Assignment of “{assignment.course.title}” to {target(assignment)}, due "
        f"{assignment.due_date:%Y-%m-%d}, cancelled",
        data={
            "assignment_id": assignment.pk,
            "cohort_id": assignment.cohort_id,
            "course_id": assignment.course_id,
            "due_date": assignment.due_date.isoformat(),
        },
    )
    course_id, previous = assignment.course_id, assignment.due_date
    assignment.delete()
    queue_due_date_emails(learners, course_id, previous, None)


def target(assignment):
    if assignment.cohort_id:
        return f"cohort “{assignment.cohort.name}”"
    return user_label(assignment.user)


@transaction.atomic
def withdraw_link(link):
    """Stop the link working at once; False when it was already withdrawn."""
    updated = InvitationLink.objects.filter(pk=link.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if not updated:
        return False
    record(
        Action.INVITATION_WITHDRAWN,
        f"Invitation link to cohort “{link.cohort.name}” withdrawn",
        data={"cohort_id": link.cohort_id, "link_id": link.pk},
    )
    return True


@transaction.atomic
def withdraw_invitation(invitation):
    """Delete a pending email invitation, so signing up with the address no longer joins
    the cohort; False when it had gone or been accepted meanwhile."""
    deleted, _ = EmailInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()
    if not deleted:
        return False
    record(
        Action.INVITATION_WITHDRAWN,
        f"Invitation of {invitation.email} to cohort “{invitation.cohort.name}” withdrawn",
        data={"cohort_id": invitation.cohort_id, "invitation_id": invitation.pk},
    )
    return True
