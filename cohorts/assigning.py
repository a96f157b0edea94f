"""Assigning courses and keeping cohort members enrolled in them."""

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import Membership
from accounts.receivers import membership_message
from accounts.roles import staff_among
from audit.models import Action
from audit.records import is_quiet_about, record_many
from core import cache_versions
from core.page_languages import original
from courses.models import Enrolment
from learning.next_steps import with_courses_in_reading_language
from learning.progress import missing_prerequisites, with_course_to_show
from learning.progress_summary import figures_changed
from learning.rules import is_met

from .due_dates import due_date_for
from .models import Assignment, Cohort, CohortMember, members_version
from .tasks import send_assignment_notices


def courses_to_enrol(user, course):
    """The course and any prerequisites the learner has not completed: a trainer who
    assigns the police course expects the core course to be taken first."""
    return [*missing_prerequisites(user, course), course]


def enrol_users(users, course):
    for user in users:
        for target in courses_to_enrol(user, course):
            Enrolment.objects.get_or_create(user=user, course=target)


def live_prerequisites(course):
    """The course's live prerequisites, read once for a whole cohort."""
    return list(original(course).prerequisites.live().order_by("title"))


def enrol_in_bulk(user_ids, course, prerequisites):
    """Enrol these learners in the course and in the prerequisites each has not
    completed, in a fixed number of queries whatever their number (courses_to_enrol
    for many learners at once). Enrolments that exist already are left as they are, so
    running it again, or beside another run, adds nothing twice.
    """
    user_ids = list(user_ids)
    if not user_ids:
        return
    completed = set()
    if prerequisites:
        completed = set(
            Enrolment.objects.filter(
                user_id__in=user_ids,
                course__in=prerequisites,
                completed_at__isnull=False,
            ).values_list("user_id", "course_id")
        )
    Enrolment.objects.bulk_create(
        [
            Enrolment(user_id=user_id, course=target)
            for user_id in user_ids
            for target in [*prerequisites, course]
            if (user_id, target.pk) not in completed
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    # What saving each enrolment would have told (learning.receivers): the courses'
    # dashboard figures count new learners.
    for target in {target.path: target for target in [*prerequisites, course]}.values():
        figures_changed(target.path)


def cohort_member_ids(cohort, after=0, limit=None):
    """The cohort's learners in id order, from after a given id: a batch to work on."""
    ids = (
        CohortMember.objects.filter(cohort=cohort, user_id__gt=after)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    return list(ids[:limit] if limit else ids)


def assignment_for(
    course, due_date, organisation, assigned_by, cohort, recertify_months=None, late_joiners=None
):
    """The cohort's assignment of the course due that day, made once: two trainers
    assigning the same course at the same moment get one assignment (the cohort's row
    is locked while one of them looks). `late_joiners` holds the Assignment fields of
    what people who join after the due date get (the default: the same time)."""
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        assignment, created = Assignment.objects.get_or_create(
            cohort=cohort,
            course=course,
            due_date=due_date,
            defaults={
                "organisation": organisation,
                "assigned_by": assigned_by,
                "recertify_months": recertify_months,
                **(late_joiners or {}),
            },
        )
        if not created and assignment.recertify_months != recertify_months:
            assignment.recertify_months = recertify_months
            assignment.save(update_fields=["recertify_months"])
    return assignment


@transaction.atomic
def assign(
    course, due_date, organisation, assigned_by, cohort=None, user=None, recertify_months=None
):
    """Assign at once, in this process: for one learner, or a cohort in scripts and
    tests (trainers' cohort assignments run in the background, cohorts.jobs)."""
    if cohort is not None:
        assignment = assignment_for(
            course, due_date, organisation, assigned_by, cohort, recertify_months
        )
        enrol_in_bulk(cohort_member_ids(cohort), course, live_prerequisites(course))
    else:
        assignment = Assignment.objects.create(
            course=course,
            due_date=due_date,
            organisation=organisation,
            assigned_by=assigned_by,
            user=user,
            recertify_months=recertify_months,
        )
        enrol_users([user], course)
    announce(assignment)
    return assignment


def announce(assignment):
    """Tell the assignment's learners, once committed: the worker must find the
    assignment, and a rolled-back one tells nobody anything. The notices task sends each
    learner one notice, however often it is asked."""
    transaction.on_commit(lambda: send_assignment_notices.enqueue(assignment.pk))


def add_member(cohort, user):
    """Add a learner to a cohort (and its organisation), enrolling them in its courses.
    Returns False when they were already a member."""
    return user.pk in add_members(cohort, [user])


@transaction.atomic
def add_members(cohort, users):
    """Add learners to a cohort (and its organisation), enrolling them in its courses and
    asking once per assignment for the notices of those new to it, in a fixed number of
    queries whatever their number. Returns the ids of the learners who were not members
    already.

    A staff account's organisations decide what it may reach (a trainer's cohorts, an
    NGO editor's section), so an invitation never adds one to an organisation.
    """
    users = {user.pk: user for user in users}
    if not users:
        return set()
    staff = staff_among(users.values())
    learners = [pk for pk in users if pk not in staff]
    in_organisation = set(
        Membership.objects.filter(
            organisation=cohort.organisation_id, user_id__in=learners
        ).values_list("user_id", flat=True)
    )
    joining = [pk for pk in learners if pk not in in_organisation]
    Membership.objects.bulk_create(
        [Membership(user_id=pk, organisation_id=cohort.organisation_id) for pk in joining],
        ignore_conflicts=True,
    )
    # What saving each membership would have recorded (accounts.receivers).
    record_many(
        (
            Action.MEMBERSHIP_ADDED,
            membership_message(
                Membership(user=users[pk], organisation=cohort.organisation), "joined"
            ),
            {"user_id": pk, "organisation_id": cohort.organisation_id},
        )
        for pk in joining
        if not is_quiet_about(pk)
    )
    members = set(
        CohortMember.objects.filter(cohort=cohort, user_id__in=users).values_list(
            "user_id", flat=True
        )
    )
    new = sorted(pk for pk in users if pk not in members)
    if not new:
        return set()
    CohortMember.objects.bulk_create(
        [CohortMember(cohort=cohort, user_id=pk) for pk in new], ignore_conflicts=True
    )
    # What saving each member would have told (cohorts.receivers): dashboards recount.
    cache_versions.changed(members_version(cohort.pk))
    assignments = list(cohort.assignments.select_related("course"))
    for assignment in assignments:
        enrol_in_bulk(new, assignment.course, live_prerequisites(assignment.course))
    # Learners who join later are told of the courses already set, and only they are:
    # one notices task per assignment for the whole batch.
    for assignment in assignments:
        transaction.on_commit(lambda pk=assignment.pk: send_assignment_notices.enqueue(pk, new))
    return set(new)


def assignments_of(user, cohorts=None):
    """Courses set for the learner, directly or through a cohort, each with when they
    joined its cohort (`joined_at`), which their own due date follows from. `cohorts`,
    the ids of the learner's cohorts when the caller has read them, lets the database
    find every assignment of a learner by index, where a subquery of the memberships
    made it read them all; one assignment looked up by its id needs no such list."""
    if cohorts is None:
        cohorts = CohortMember.objects.filter(user=user).values("cohort")
    joined = CohortMember.objects.filter(cohort=OuterRef("cohort"), user=user).values("added_at")
    return Assignment.objects.filter(Q(user=user) | Q(cohort__in=cohorts)).annotate(
        joined_at=Subquery(joined[:1])
    )


def cohort_ids_of(user):
    # A learner is in a few cohorts; a trainer's cohort may hold thousands of learners.
    return list(CohortMember.objects.filter(user=user).values_list("cohort_id", flat=True))


def assignments_for_learner(user, today=None, enrolments=None):
    """Courses set for the learner, soonest due first, each with the learner's own due
    date and marked met or overdue by the rules of learning.rules. `enrolments`, when
    the caller has read all of the learner's already, saves reading them again."""
    today = today or timezone.localdate()
    assignments = list(
        assignments_of(user, cohorts=cohort_ids_of(user))
        .select_related("course", "cohort")
        .only(*with_course_to_show(Assignment, "cohort__name"))
    )
    if enrolments is None:
        enrolments = Enrolment.objects.filter(
            user=user, course_id__in={assignment.course_id for assignment in assignments}
        ).only("course_id", "completed_at", "certificate_expires_on")
    figures = {
        enrolment.course_id: (enrolment.completed_at, enrolment.certificate_expires_on)
        for enrolment in enrolments
    }
    for assignment in assignments:
        assignment.learner_due_date = due_date_for(assignment, assignment.joined_at)
        assignment.is_met = is_met(*figures.get(assignment.course_id, (None, None)), today)
        assignment.is_overdue = not assignment.is_met and assignment.learner_due_date < today
    return sorted(assignments, key=lambda assignment: assignment.learner_due_date)


def my_assignments(request, enrolments):
    """My learning's courses set by trainers (core.page_context), with the learner's
    enrolments My learning has read."""
    assignments = assignments_for_learner(request.user, enrolments=enrolments)
    return {"assignments": with_courses_in_reading_language(assignments)}
