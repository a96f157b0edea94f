"""The organisation-wide compliance table: every member against every course assigned to
them, through one of their cohorts or to them directly, with their status on it.

One row per learner and course, read from the assignments: a cohort assignment reaches
its learners through the cohort's members, a direct one names its learner. Each path
joins the learner's enrolment on the assignment's course (the figures
learning.progress_summary keeps) and their membership of the assignment's organisation
(the staff number); the row takes whichever path it came by. A learner reached by two
assignments of one course (two cohorts, or a cohort and directly) has one row: the
earliest due date is the one they must meet, so it decides whether they are overdue,
and the row names every cohort that set the course.

The page lists a page of learners (reached in the order of the accounts_user_natural
index, so only that page is read) and then their rows; the export reads every row.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from cohorts.models import Assignment, CohortMember, assignments_version, members_version
from core import cache_versions
from core.text_aggregates import JoinedText
from learning.progress_summary import figures_version
from learning.rules import Status, met, status_by_row

MEMBER = "cohort__memberships__user"
STATUSES = dict(Status.choices)
ASSIGNED_DIRECTLY = _("Assigned directly")
# What a row is grouped by: one learner, one course, and the figures kept on the one
# enrolment a learner has on a course.
ROW_FIELDS = (
    "learner_id",
    "course_id",
    "learner_natural",
    "learner_name",
    "learner_email",
    "course_title",
    "completed_at",
    "items_done",
    "attempted",
    "certificate_expires_on",
)


def either(field, default=None, output_field=None):
    """The learner's value by whichever path the row came: cohort member or direct."""
    values = [F(f"cohort_{field}"), F(f"own_{field}")]
    if default is not None:
        values.append(Value(default))
    return Coalesce(*values, output_field=output_field)


def chosen_assignments(organisations, cohort=None, course=None):
    assignments = Assignment.objects.filter(organisation__in=organisations)
    if cohort is not None:
        assignments = assignments.filter(cohort=cohort)
    if course is not None:
        assignments = assignments.filter(course=course)
    return assignments


def assignment_rows(assignments, learner_ids=None):
    """Every (learner, assignment) of these assignments, with the learner's figures;
    only these learners' when given (filtered before the joins, so that the member
    join the figures read is the filtered one and the query stays small)."""
    if learner_ids is not None:
        assignments = assignments.filter(
            Q(cohort__memberships__user__in=learner_ids) | Q(user__in=learner_ids)
        )
    return (
        assignments.annotate(
            cohort_enrolment=FilteredRelation(
                f"{MEMBER}__enrolments",
                condition=Q(**{f"{MEMBER}__enrolments__course": F("course")}),
            ),
            own_enrolment=FilteredRelation(
                "user__enrolments", condition=Q(user__enrolments__course=F("course"))
            ),
            cohort_membership=FilteredRelation(
                f"{MEMBER}__memberships",
                condition=Q(**{f"{MEMBER}__memberships__organisation": F("organisation")}),
            ),
            own_membership=FilteredRelation(
                "user__memberships", condition=Q(user__memberships__organisation=F("organisation"))
            ),
        )
        .annotate(
            learner_id=Coalesce(F(MEMBER), F("user")),
            learner_natural=Coalesce(F(f"{MEMBER}__natural_name"), F("user__natural_name")),
            learner_name=Coalesce(F(f"{MEMBER}__display_name"), F("user__display_name")),
            learner_email=Coalesce(F(f"{MEMBER}__email"), F("user__email")),
            row_cohort_name=F("cohort__name"),
            course_title=F("course__title"),
            row_staff_number=either("membership__staff_number", "", CharField()),
            completed_at=either("enrolment__completed_at"),
            items_done=either("enrolment__items_done", 0, IntegerField()),
            attempted=either("enrolment__attempted", False, BooleanField()),
            certificate_expires_on=either("enrolment__certificate_expires_on"),
        )
        # A cohort without members reaches nobody.
        .filter(learner_id__isnull=False)
    )


def compliance_rows(
    organisations, today, cohort=None, course=None, status="", search="", learner_ids=None
):
    """One row per (learner, course) of these organisations' assignments."""
    rows = assignment_rows(chosen_assignments(organisations, cohort, course), learner_ids)
    if search:
        rows = rows.filter(
            Q(learner_name__icontains=search)
            | Q(learner_email__icontains=search)
            | Q(row_staff_number__icontains=search)
        )
    rows = (
        rows.values(*ROW_FIELDS)
        .annotate(
            due_date=Min("due_date"),
            staff_number=Max("row_staff_number"),
            cohort_name=JoinedText("row_cohort_name"),
            assigned_directly=Count("pk", filter=Q(cohort__isnull=True)),
        )
        .annotate(status=status_by_row(today))
    )
    if status:
        rows = rows.filter(status=status)
    return rows


def ordered(rows):
    # Names sort as people read them, "Load 2" before "Load 10" (accounts.natural_names).
    return rows.order_by("learner_natural", "learner_email", "learner_id", "course_title")


def chosen_learners(organisations, today, cohort=None, course=None, status="", search=""):
    """The learners with at least one row the filters keep, in the table's order.

    Without a status filter this is a walk along the name index with two indexed
    checks per learner; a status filter needs the statuses, so it reads the rows."""
    learners = User.objects.all()
    if status:
        chosen = compliance_rows(organisations, today, cohort, course, status, search)
        learners = learners.filter(pk__in=chosen.values("learner_id"))
    else:
        assignments = chosen_assignments(organisations, cohort, course)
        in_cohort = CohortMember.objects.filter(
            user=OuterRef("pk"), cohort__assignments__in=assignments
        )
        learners = learners.filter(
            Exists(in_cohort) | Exists(assignments.filter(user=OuterRef("pk")))
        )
        if search:
            staff_number = Membership.objects.filter(
                user=OuterRef("pk"),
                organisation__in=organisations,
                staff_number__icontains=search,
            )
            learners = learners.filter(
                Q(display_name__icontains=search)
                | Q(email__icontains=search)
                | Exists(staff_number)
            )
    return learners.order_by("natural_name", "email", "pk").only("pk")


def rows_of_learners(organisations, today, learner_ids, **criteria):
    """The table's rows of a page of learners, in the table's order."""
    rows = compliance_rows(organisations, today, learner_ids=learner_ids, **criteria)
    return decorate(list(ordered(rows)))


def decorate(rows):
    """Display values for a page of rows (no queries)."""
    for row in rows:
        row["status_label"] = STATUSES[row["status"]]
        row["cohort_label"] = cohort_label(row["cohort_name"], row["assigned_directly"])
    return rows


def cohort_label(cohort_names, assigned_directly):
    if not cohort_names:
        return str(ASSIGNED_DIRECTLY)
    if assigned_directly:
        return f"{cohort_names}, {ASSIGNED_DIRECTLY}"
    return cohort_names


@dataclass
class CohortRate:
    name: str
    total: int
    completed: int
    cohort_id: int = None

    @property
    def percent(self):
        return round(100 * self.completed / self.total) if self.total else 0


def completion_by_cohort(organisations, today):
    """Per cohort: how many of its members' assignments are met, in one query."""
    rows = (
        Assignment.objects.filter(organisation__in=organisations, cohort__isnull=False)
        .annotate(
            enrolment=FilteredRelation(
                f"{MEMBER}__enrolments",
                condition=Q(**{f"{MEMBER}__enrolments__course": F("course")}),
            )
        )
        .values("cohort_id", "cohort__name")
        .annotate(
            total=Count(MEMBER),
            completed=Count(MEMBER, filter=met(today, prefix="enrolment__")),
        )
        .filter(total__gt=0)
        .order_by("cohort__name", "cohort_id")
    )
    return [
        CohortRate(row["cohort__name"], row["total"], row["completed"], row["cohort_id"])
        for row in rows
    ]


def kept_completion_by_cohort(organisations, today):
    """completion_by_cohort(), counted once and then kept until an enrolment on an
    assigned course, a cohort's membership or the organisations' assignments change
    (or the day ends). Cohort names are read afresh, so a renamed cohort shows at once."""
    assigned = list(
        Assignment.objects.filter(organisation__in=organisations, cohort__isnull=False)
        .values_list("organisation_id", "cohort_id", "cohort__name", "course__path")
        .distinct()
    )
    if not assigned:
        return []
    names = {cohort_id: name for _org, cohort_id, name, _path in assigned}
    versions = sorted(
        {assignments_version(organisation_id) for organisation_id, *_rest in assigned}
        | {members_version(cohort_id) for cohort_id in names}
        | {figures_version(path) for *_rest, path in assigned}
    )
    organisation_ids = ",".join(str(pk) for pk in sorted({row[0] for row in assigned}))

    def count():
        return [
            (rate.cohort_id, rate.total, rate.completed)
            for rate in completion_by_cohort(organisations, today)
        ]

    counted = cache_versions.kept(
        f"cohort-rates:{organisation_ids}:{today}", versions, count, settings.PAGE_CACHE_SECONDS
    )
    rates = [
        CohortRate(names[cohort_id], total, completed, cohort_id)
        for cohort_id, total, completed in counted
        if cohort_id in names
    ]
    return sorted(rates, key=lambda rate: (rate.name, rate.cohort_id))


def rate_chart(rates, bar_height=28, gap=10, label_width=200, plot_width=400):
    """Horizontal bar geometry for a server-rendered SVG: one bar per cohort, 0-100%."""
    top = 10
    bars = []
    for index, rate in enumerate(rates):
        y = top + index * (bar_height + gap)
        bars.append(
            {
                "name": rate.name,
                "percent": rate.percent,
                "y": y,
                "text_y": y + bar_height / 2 + 5,
                "width": round(plot_width * rate.percent / 100, 1),
                "value_x": label_width + round(plot_width * rate.percent / 100, 1) + 6,
            }
        )
    plot_bottom = top + len(rates) * (bar_height + gap)
    ticks = [
        {"percent": percent, "x": label_width + plot_width * percent / 100}
        for percent in (0, 25, 50, 75, 100)
    ]
    return {
        "bars": bars,
        "ticks": ticks,
        "bar_height": bar_height,
        "label_x": label_width - 8,
        "plot_x": label_width,
        "plot_bottom": plot_bottom,
        "tick_label_y": plot_bottom + 16,
        "axis_label_y": plot_bottom + 40,
        "axis_label_x": label_width + plot_width / 2,
        "width": label_width + plot_width + 50,
        "height": plot_bottom + 50,
    }
