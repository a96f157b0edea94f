"""What counts as done: each rule of the learner's record, written once.

Course pages, My learning, the figures kept for dashboards, trainers' dashboards,
exports and reminders all read these definitions; nothing else restates them.

- A **required item** of a course is a published lesson marked required, or a published
  final assessment, directly under the course (and not in a private section). Optional
  lessons and knowledge checks never hold a learner back.
- An item is **done** in the enrolment's current cycle: a lesson completion (a refresher
  clears them), or a pass of the final assessment in an attempt begun since the cycle
  started.
- A course is **complete** when every required item is done, and it has at least one.
- An **assignment is met** when the learner's enrolment on its course was completed (in
  any cycle) or they hold a valid certificate for it.
- A learner's **status** on an assignment: completed when it is met; past the due date,
  overdue however far they got; otherwise in progress once anything is done or an
  attempt begun, else not started.
- A learner's **task status** on one lesson or assessment of a course (the course page's
  task list): completed when it is done; cannot start yet while a course to take first
  is unfinished; in progress while an attempt at it is open; not passed when an attempt
  in the cycle was marked and failed; otherwise not started.
"""

from django.db.models import Case, CharField, Count, F, Q, TextChoices, Value, When
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from core.page_routing import not_private
from courses.models import LessonPage
from quizzes.models import AssessmentPage, Attempt

FINAL = AssessmentPage.Kind.FINAL


class Status(TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    OVERDUE = "overdue", _("Overdue")


class TaskStatus(TextChoices):
    """The status of one item of a course, in the words of the GOV.UK task list."""

    NOT_STARTED = Status.NOT_STARTED.value, _("Not started")
    IN_PROGRESS = Status.IN_PROGRESS.value, _("In progress")
    COMPLETED = Status.COMPLETED.value, _("Completed")
    NOT_PASSED = "not_passed", _("Not passed")
    CANNOT_START_YET = "cannot_start_yet", _("Cannot start yet")


def task_status(*, done, can_start, open_attempt=False, failed=False):
    """One item's task status, by the rule in this module's opening."""
    if done:
        return TaskStatus.COMPLETED
    if not can_start:
        return TaskStatus.CANNOT_START_YET
    if open_attempt:
        return TaskStatus.IN_PROGRESS
    if failed:
        return TaskStatus.NOT_PASSED
    return TaskStatus.NOT_STARTED


# Required items -----------------------------------------------------------------------

# The same rule as field filters, for counting through a relation (a lesson completion's
# lesson, an attempt's assessment), where the page querysets below cannot be used.
REQUIRED_LESSON_FIELDS = {"required": True, "live": True}
REQUIRED_ASSESSMENT_FIELDS = {"kind": FINAL, "live": True}


def related(prefix, fields):
    return {f"{prefix}__{name}": value for name, value in fields.items()}


def required_lessons(course):
    return LessonPage.objects.live().filter(not_private()).child_of(course).filter(required=True)


def required_assessments(course):
    """Final assessments must be passed; knowledge checks are optional."""
    return AssessmentPage.objects.live().filter(not_private()).child_of(course).filter(kind=FINAL)


def is_required(item):
    """For a lesson or assessment page already known to be live under its course."""
    if isinstance(item, AssessmentPage):
        return item.kind == FINAL
    return item.required


def required_item_counts(courses):
    """Live required lessons and final assessments under each course, keyed by its path,
    in one query. Each page is matched to its course by its parent's path (a page's path
    is its parent's followed by one step), which the database compares with the courses'
    paths in one list rather than one pattern per course."""
    if not courses:
        return {}
    parent_path = Substr("path", 1, (F("depth") - 1) * Page.steplen)
    counted = (
        Page.objects.live()
        .filter(not_private())
        .filter(depth__in={course.depth + 1 for course in courses})
        .annotate(parent_path=parent_path)
        .filter(parent_path__in=[course.path for course in courses])
        .filter(Q(lessonpage__required=True) | Q(assessmentpage__kind=FINAL))
        .order_by()
        .values("parent_path")
        .annotate(items=Count("pk"))
    )
    return {row["parent_path"]: row["items"] for row in counted}


# Done in the current cycle -----------------------------------------------------------


def finals_passed_in_cycle(enrolment, assessment_ids):
    """Which of these assessments the learner passed in the enrolment's current cycle."""
    return set(
        Attempt.objects.filter(
            user_id=enrolment.user_id,
            assessment_id__in=assessment_ids,
            passed=True,
            started_at__gte=enrolment.cycle_started_at,
        )
        .values_list("assessment_id", flat=True)
        .distinct()
    )


def is_course_complete(enrolment):
    """Every required item is done in the current cycle, and there is at least one."""
    course = enrolment.course
    lesson_ids = set(required_lessons(course).values_list("pk", flat=True))
    assessment_ids = set(required_assessments(course).values_list("pk", flat=True))
    if not lesson_ids and not assessment_ids:
        return False
    done = set(
        enrolment.completions.filter(lesson_id__in=lesson_ids).values_list("lesson_id", flat=True)
    )
    return lesson_ids <= done and assessment_ids <= finals_passed_in_cycle(
        enrolment, assessment_ids
    )


# Assignments --------------------------------------------------------------------------
# `prefix` leads from the rows counted to the enrolment's kept figures ("" when the rows
# are enrolments, or carry the figures under the enrolment's own field names).


def met(today, prefix=""):
    return Q(**{f"{prefix}completed_at__isnull": False}) | Q(
        **{f"{prefix}certificate_expires_on__gte": today}
    )


def started(prefix=""):
    return Q(**{f"{prefix}items_done__gt": 0}) | Q(**{f"{prefix}attempted": True})


def is_met(completed_at, certificate_expires_on, today):
    """The same rule as met(), for one learner's values."""
    return completed_at is not None or (
        certificate_expires_on is not None and certificate_expires_on >= today
    )


def status(due_date, today, prefix=""):
    """A learner's status on an assignment due on `due_date`, as a query expression."""
    if due_date < today:
        whens, default = [When(met(today, prefix), then=Value(Status.COMPLETED))], Status.OVERDUE
    else:
        whens = [
            When(met(today, prefix), then=Value(Status.COMPLETED)),
            When(started(prefix), then=Value(Status.IN_PROGRESS)),
        ]
        default = Status.NOT_STARTED
    return Case(*whens, default=Value(default), output_field=CharField())


def status_without_enrolment(due_date, today):
    """Someone assigned a course they have not enrolled on has done nothing yet."""
    return Status.OVERDUE if due_date < today else Status.NOT_STARTED


def status_of(enrolment, due_date, today):
    """The same rule as status() and status_without_enrolment(), for one learner's
    enrolment on the assigned course (None when they have not enrolled)."""
    if enrolment is None:
        return status_without_enrolment(due_date, today)
    if is_met(enrolment.completed_at, enrolment.certificate_expires_on, today):
        return Status.COMPLETED
    if due_date < today:
        return Status.OVERDUE
    if enrolment.items_done > 0 or enrolment.attempted:
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


def status_by_row(today, prefix="", due="due_date", late=None):
    """The same rule as status(), for rows that each carry their own due date (the field
    `due`), such as every assignment of an organisation at once. Where learners' due
    dates differ from the assignment's, `late` says which rows are past theirs."""
    if late is None:
        late = Q(**{f"{due}__lt": today})
    return Case(
        When(met(today, prefix), then=Value(Status.COMPLETED)),
        When(late, then=Value(Status.OVERDUE)),
        When(started(prefix), then=Value(Status.IN_PROGRESS)),
        default=Value(Status.NOT_STARTED),
        output_field=CharField(),
    )
