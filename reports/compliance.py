"""The organisation-wide compliance table: every member against every course assigned to
them, through one of their cohorts or to them directly, with their status on it.

One row per learner and assignment, read in one query from the assignment: a cohort
assignment reaches its learners through the cohort's members, a direct one names its
learner. Each path joins the learner's enrolment on the assignment's course (the
figures learning.progress_summary keeps) and their membership of the assignment's
organisation (the staff number); the row takes whichever path it came by.
"""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cohorts.models import Assignment
from learning.rules import Status, met, status_by_row

MEMBER = "cohort__memberships__user"
STATUSES = dict(Status.choices)
ASSIGNED_DIRECTLY = _("Assigned directly")


def either(field, default=None, output_field=None):
    """The learner's value by whichever path the row came: cohort member or direct."""
    values = [F(f"cohort_{field}"), F(f"own_{field}")]
    if default is not None:
        values.append(Value(default))
    return Coalesce(*values, output_field=output_field)


def compliance_rows(organisations, today):
    """Every (learner, assignment) of these organisations, with the learner's figures."""
    return (
        Assignment.objects.filter(organisation__in=organisations)
        .annotate(
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
            learner_name=Coalesce(F(f"{MEMBER}__display_name"), F("user__display_name")),
            learner_email=Coalesce(F(f"{MEMBER}__email"), F("user__email")),
            cohort_name=F("cohort__name"),
            course_title=F("course__title"),
            staff_number=either("membership__staff_number", "", CharField()),
            completed_at=either("enrolment__completed_at"),
            items_done=either("enrolment__items_done", 0, IntegerField()),
            attempted=either("enrolment__attempted", False, BooleanField()),
            certificate_expires_on=either("enrolment__certificate_expires_on"),
        )
        # A cohort without members reaches nobody.
        .filter(learner_id__isnull=False)
        .annotate(status=status_by_row(today))
    )


def filtered(rows, cohort=None, course=None, status="", search=""):
    if cohort is not None:
        rows = rows.filter(cohort=cohort)
    if course is not None:
        rows = rows.filter(course=course)
    if status:
        rows = rows.filter(status=status)
    if search:
        rows = rows.filter(
            Q(learner_name__icontains=search)
            | Q(learner_email__icontains=search)
            | Q(staff_number__icontains=search)
        )
    return rows


def ordered(rows):
    return rows.order_by("learner_name", "learner_email", "learner_id", "course_title", "pk")


def decorate(rows):
    """Display values for a page of rows (no queries)."""
    for row in rows:
        row.status_label = STATUSES[row.status]
        row.cohort_label = row.cohort_name or ASSIGNED_DIRECTLY
    return rows


@dataclass
class CohortRate:
    name: str
    total: int
    completed: int

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
    return [CohortRate(row["cohort__name"], row["total"], row["completed"]) for row in rows]


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
