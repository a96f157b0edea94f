"""What the reporting API reads: an organisation's members, assignments, and each
assigned learner's status, from a fixed number of queries per page.

Statuses follow learning.rules; a row is one learner and one assignment (a course set
for a cohort they are in, or for them alone).
"""

import datetime
from dataclasses import dataclass

from django.db.models import DateTimeField, F, OuterRef, Prefetch, Subquery, Value

from accounts.models import Membership, User
from cohorts.due_dates import due_date_for
from cohorts.models import Assignment, CohortMember
from courses.models import Enrolment
from learning.rules import status_of


def memberships(organisation):
    """The organisation's members, each with the organisation's cohorts they are in."""
    cohorts = (
        CohortMember.objects.filter(cohort__organisation=organisation)
        .select_related("cohort")
        .only("user_id", "cohort__name")
    )
    # Only what the API shows: a page is a hundred rows, and building whole users (and
    # their cohorts) costs more than reading them.
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .only("staff_number", "joined_at", "user__display_name", "user__email")
        .prefetch_related(Prefetch("user__cohort_memberships", cohorts, to_attr="org_cohorts"))
        .order_by("user_id")
    )


def assignments(organisation):
    return (
        Assignment.objects.filter(organisation=organisation)
        .select_related("course", "cohort")
        .order_by("pk")
    )


def status_pairs(organisation, learner_id=None):
    """(assignment, learner) ids of every assigned learner, as one orderable queryset."""
    in_cohorts = CohortMember.objects.filter(
        cohort__organisation=organisation, cohort__assignments__isnull=False
    ).values(
        row_assignment=F("cohort__assignments"), row_learner=F("user_id"), row_joined=F("added_at")
    )
    alone = Assignment.objects.filter(organisation=organisation, user__isnull=False).values(
        row_assignment=F("pk"),
        row_learner=F("user_id"),
        row_joined=Value(None, output_field=DateTimeField()),
    )
    # A compound query's parts may not be ordered (Assignment's default ordering).
    in_cohorts, alone = in_cohorts.order_by(), alone.order_by()
    if learner_id is not None:
        in_cohorts = in_cohorts.filter(user_id=learner_id)
        alone = alone.filter(user_id=learner_id)
    return in_cohorts.union(alone).order_by("row_assignment", "row_learner")


@dataclass
class StatusRow:
    assignment: Assignment
    learner: User
    enrolment: Enrolment | None
    due_date: datetime.date
    status: str
    today: datetime.date

    @property
    def completed_at(self):
        return self.enrolment.completed_at if self.enrolment else None

    @property
    def certificate_expires_on(self):
        return self.enrolment.certificate_expires_on if self.enrolment else None

    @property
    def certificate_valid(self):
        expires_on = self.certificate_expires_on
        return expires_on is not None and expires_on >= self.today


def learners_with_staff_numbers(organisation, learner_ids):
    """Users by id, each with their staff number in the organisation (None when they
    are no longer a member)."""
    staff_number = Membership.objects.filter(organisation=organisation, user=OuterRef("pk"))
    return {
        learner.pk: learner
        for learner in User.objects.filter(pk__in=learner_ids).annotate(
            staff_number=Subquery(staff_number.values("staff_number")[:1])
        )
    }


def status_rows(organisation, pairs, today):
    """The page's (assignment, learner) pairs as rows, in three queries."""
    pairs = [(pair["row_assignment"], pair["row_learner"], pair["row_joined"]) for pair in pairs]
    assignment_ids = {assignment_id for assignment_id, _learner, _joined in pairs}
    learner_ids = {learner_id for _assignment, learner_id, _joined in pairs}
    by_id = {
        assignment.pk: assignment
        for assignment in assignments(organisation).filter(pk__in=assignment_ids)
    }
    learners = learners_with_staff_numbers(organisation, learner_ids)
    course_ids = {assignment.course_id for assignment in by_id.values()}
    enrolments = {
        (enrolment.user_id, enrolment.course_id): enrolment
        for enrolment in Enrolment.objects.filter(user_id__in=learner_ids, course_id__in=course_ids)
    }
    rows = []
    for assignment_id, learner_id, joined_at in pairs:
        assignment = by_id[assignment_id]
        enrolment = enrolments.get((learner_id, assignment.course_id))
        # A late joiner's own due date (cohorts.due_dates).
        due_date = due_date_for(assignment, joined_at)
        rows.append(
            StatusRow(
                assignment=assignment,
                learner=learners[learner_id],
                enrolment=enrolment,
                due_date=due_date,
                status=status_of(enrolment, due_date, today),
                today=today,
            )
        )
    return rows
