"""Assigning courses and keeping cohort members enrolled in them."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import roles_for
from courses.models import Enrolment
from learning.progress import missing_prerequisites
from learning.rules import is_met

from .models import Assignment, CohortMember
from .tasks import send_assignment_notices


def courses_to_enrol(user, course):
    """The course and any prerequisites the learner has not completed: a trainer who
    assigns the police course expects the core course to be taken first."""
    return [*missing_prerequisites(user, course), course]


def enrol_users(users, course):
    for user in users:
        for target in courses_to_enrol(user, course):
            Enrolment.objects.get_or_create(user=user, course=target)


@transaction.atomic
def assign(
    course, due_date, organisation, assigned_by, cohort=None, user=None, recertify_months=None
):
    assignment = Assignment.objects.create(
        course=course,
        due_date=due_date,
        organisation=organisation,
        assigned_by=assigned_by,
        cohort=cohort,
        user=user,
        recertify_months=recertify_months,
    )
    learners = [user] if user else list(cohort.members.all())
    enrol_users(learners, course)
    # Once committed: the worker must find the assignment, and a rolled-back one tells
    # nobody anything.
    transaction.on_commit(lambda: send_assignment_notices.enqueue(assignment.pk))
    return assignment


@transaction.atomic
def add_member(cohort, user):
    """Add a learner to a cohort (and its organisation), enrolling them in its courses.
    Returns False when they were already a member.

    A staff account's organisations decide what it may reach (a trainer's cohorts, an
    NGO editor's section), so an invitation never adds one to an organisation.
    """
    if not roles_for(user).needs_mfa:
        Membership.objects.get_or_create(user=user, organisation=cohort.organisation)
    _member, created = CohortMember.objects.get_or_create(cohort=cohort, user=user)
    if created:
        assignments = list(cohort.assignments.select_related("course"))
        for assignment in assignments:
            enrol_users([user], assignment.course)
        # A learner who joins later is told of the courses already set, and only they are.
        for assignment in assignments:
            transaction.on_commit(
                lambda pk=assignment.pk: send_assignment_notices.enqueue(pk, [user.pk])
            )
    return created


def assignments_for_learner(user, today=None):
    """Courses set for the learner (directly or through a cohort), soonest due first,
    each marked met or overdue by the rules of learning.rules."""
    today = today or timezone.localdate()
    assignments = list(
        # The learner's cohorts as a subquery: joining the memberships (thousands in a
        # large cohort) and removing the duplicates took most of My learning's time.
        Assignment.objects.filter(
            Q(user=user) | Q(cohort__in=CohortMember.objects.filter(user=user).values("cohort"))
        )
        .select_related("course", "cohort")
        .order_by("due_date")
    )
    figures = {
        course_id: (completed_at, expires_on)
        for course_id, completed_at, expires_on in Enrolment.objects.filter(
            user=user, course_id__in={assignment.course_id for assignment in assignments}
        ).values_list("course_id", "completed_at", "certificate_expires_on")
    }
    for assignment in assignments:
        assignment.is_met = is_met(*figures.get(assignment.course_id, (None, None)), today)
        assignment.is_overdue = not assignment.is_met and assignment.due_date < today
    return assignments


def my_assignments(request, enrolments):
    """My learning's courses set by trainers (core.page_context)."""
    return {"assignments": assignments_for_learner(request.user)}
