"""Cohort and organisation dashboards, computed in the database.

Every figure comes from a fixed number of queries whatever the number of learners:
per-learner values are subqueries on one queryset, counts are conditional aggregates,
and tables are paginated.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from certificates.models import Certificate, SignificantChangeNotice
from cohorts.models import Assignment, CohortMember, members_version
from core import cache_versions
from core.page_cache import GENERATION as PAGES_VERSION
from core.page_routing import any_view_restrictions
from courses.models import Enrolment
from learning.progress_summary import figures_version
from learning.rules import (
    Status,
    met,
    required_item_counts,
    started,
    status_by_row,
)

from .due_dates import due_date_for, past_due, past_due_any

# Labels of the statuses learning.rules defines.
STATUSES = dict(Status.choices)
# Empty scores and completion dates sort last on every database (PostgreSQL puts NULL
# first in descending order unless told otherwise).
# Names sort as people read them, "Load 2" before "Load 10" (accounts.natural_names).
SORTS = {
    "name": ("natural_name", "email"),
    "status": ("status", "natural_name"),
    "progress": (F("items_done").desc(), "natural_name"),
    "score": (F("best_score").desc(nulls_last=True), "natural_name"),
    "completed": (F("completed_at").desc(nulls_last=True), "natural_name"),
}
EXPIRING_DAYS = 60
EARLIER_VERSION = _("Earned on an earlier version")


def assignment_learners(assignment):
    """The assignment's learners, each with when they joined its cohort (`joined_at`,
    which their own due date follows from: cohorts.due_dates)."""
    if assignment.cohort_id:
        return User.objects.filter(cohort_memberships__cohort_id=assignment.cohort_id).annotate(
            joined_at=F("cohort_memberships__added_at")
        )
    return User.objects.filter(pk=assignment.user_id).annotate(
        joined_at=Value(None, output_field=DateTimeField())
    )


def learner_ids(assignment):
    """The assignment's learners as ids, for filtering other tables without users."""
    if assignment.cohort_id:
        return CohortMember.objects.filter(cohort_id=assignment.cohort_id).values("user")
    return [assignment.user_id]


def learner_rows(assignment, today=None):
    """The assignment's learners, each annotated with their progress on its course.

    Progress figures are kept on the enrolment (learning.progress_summary), so each
    learner costs one join rather than a subquery per figure.
    """
    today = today or timezone.localdate()
    course = assignment.course
    certificate = Certificate.objects.filter(
        user=OuterRef("pk"), course=course, revoked_at__isnull=True
    ).order_by("-expires_on")
    return (
        assignment_learners(assignment)
        .annotate(on_course=FilteredRelation("enrolments", condition=Q(enrolments__course=course)))
        .annotate(
            completed_at=F("on_course__completed_at"),
            items_done=Coalesce(F("on_course__items_done"), 0, output_field=IntegerField()),
            best_score=F("on_course__best_score"),
            attempted=Coalesce(F("on_course__attempted"), False, output_field=BooleanField()),
            certificate_expires_on=F("on_course__certificate_expires_on"),
            certificate_id=Subquery(certificate.values("pk")[:1]),
            # The organisation's own number for them, shown in every export.
            staff_number=Coalesce(
                Subquery(
                    Membership.objects.filter(
                        user=OuterRef("pk"), organisation_id=assignment.organisation_id
                    ).values("staff_number")[:1]
                ),
                Value(""),
            ),
        )
        .annotate(
            # Its holder was told of a significant change to the course made since.
            earlier_version=Exists(
                SignificantChangeNotice.objects.filter(certificate_id=OuterRef("certificate_id"))
            ),
            status=status_by_row(today, late=past_due(assignment, today, joined="joined_at")),
        )
    )


@dataclass
class Summary:
    total: int
    not_started: int
    in_progress: int
    completed: int
    overdue: int

    @property
    def completion_rate(self):
        return round(100 * self.completed / self.total) if self.total else 0


def summarise(assignment, today=None):
    """Learners per status, in one pass over the assignment's learners and their
    enrolments on its course (those not enrolled have not started, or are overdue)."""
    return cohort_summaries([assignment], today)[assignment.pk]


def kept_figures(assignment, today=None):
    """The assignment's summary and weekly completions, counted once and then kept until
    an enrolment on its course or the cohort's membership changes (or the day ends)."""
    today = today or timezone.localdate()
    names = [figures_version(assignment.course.path)]
    if assignment.cohort_id:
        names.append(members_version(assignment.cohort_id))
    return cache_versions.kept(
        f"assignment-figures:{assignment.pk}:{assignment.due_date}:{assignment.late_due_date}:{today}",
        names,
        lambda: (summarise(assignment, today), completions_by_week(assignment, today=today)),
        settings.PAGE_CACHE_SECONDS,
    )


def cohort_summaries(assignments, today=None):
    """Learners per status on each of these assignments, in one query, by assignment id."""
    today = today or timezone.localdate()
    summaries = {}
    on_cohorts = [assignment for assignment in assignments if assignment.cohort_id]
    if on_cohorts:
        summaries.update(count_statuses(on_cohorts, "cohort__memberships", today))
    for assignment in assignments:
        if not assignment.cohort_id:
            summaries.update(count_statuses([assignment], "user", today))
    return summaries


def count_statuses(assignments, learner, today):
    """Count the statuses of the learners reached through `learner` from each of these
    assignments (their cohort's memberships, or their one learner)."""
    user = learner if learner == "user" else f"{learner}__user"
    completed = met(today, prefix="enrolment__")
    joined = f"{learner}__added_at" if learner != "user" else None
    late = past_due_any(assignments, today, joined=joined, assignment_field="pk")
    rows = (
        Assignment.objects.filter(pk__in=[assignment.pk for assignment in assignments])
        .annotate(
            enrolment=FilteredRelation(
                f"{user}__enrolments",
                condition=Q(**{f"{user}__enrolments__course": F("course")}),
            )
        )
        .values("pk")
        .annotate(
            total=Count(learner),
            completed=Count(learner, filter=completed),
            overdue=Count(learner, filter=~completed & late),
            in_progress=Count(learner, filter=~completed & ~late & started(prefix="enrolment__")),
        )
        .order_by()
    )
    summaries = {}
    for row in rows:
        assignment_id = row.pop("pk")
        counted = row["completed"] + row["overdue"] + row["in_progress"]
        summaries[assignment_id] = Summary(not_started=row["total"] - counted, **row)
    return summaries


def required_total(course):
    """The course's live required lessons and final assessments.

    They change only with its pages, so they are kept under the page cache's
    generation, which every page change (and making a page private or public) replaces.
    While any page is private they are counted each time, as the page cache does.
    """

    def count():
        return required_item_counts([course]).get(course.path, 0)

    if any_view_restrictions():
        return count()
    return cache_versions.kept(
        f"required-items:{course.path}", [PAGES_VERSION], count, settings.PAGE_CACHE_SECONDS
    )


def certificate_status(expires_on, today):
    if expires_on is None:
        return "", ""
    if expires_on < today:
        return "expired", _("Expired")
    if (expires_on - today).days <= EXPIRING_DAYS:
        return "expiring", _("Expiring")
    return "valid", _("Valid")


def decorate(rows, total_items, today, assignment=None):
    """Add the display-only values to a page of rows (no extra queries)."""
    for row in rows:
        row.status_label = STATUSES[row.status]
        # Someone who joined after the due date has their own (cohorts.due_dates).
        own_due = assignment and due_date_for(assignment, row.joined_at)
        row.own_due_date = own_due if own_due and own_due != assignment.due_date else None
        row.progress_percent = (
            round(100 * min(row.items_done, total_items) / total_items) if total_items else 0
        )
        row.certificate_state, row.certificate_label = certificate_status(
            row.certificate_expires_on, today
        )
        row.earlier_version_label = EARLIER_VERSION if row.earlier_version else ""
    return rows


def completions_by_week(assignment, weeks=12, today=None):
    """Completions per week over the last `weeks` weeks, oldest first, with zero weeks."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(weeks=weeks)
    # A moment rather than a date, so the (course, completed_at) index serves the range.
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    learners = learner_ids(assignment)
    counted = dict(
        Enrolment.objects.filter(
            course=assignment.course, user__in=learners, completed_at__gte=since
        )
        .annotate(week=TruncWeek("completed_at"))
        .values("week")
        .annotate(count=Count("pk"))
        .values_list("week", "count")
    )
    counts = {
        timezone.localdate(week) if hasattr(week, "hour") else week: n
        for week, n in counted.items()
    }
    monday = today - datetime.timedelta(days=today.weekday())
    series = []
    for offset in range(weeks - 1, -1, -1):
        week = monday - datetime.timedelta(weeks=offset)
        series.append((week, counts.get(week, 0)))
    return series


def chart(series, width=640, height=200):
    """Bar geometry for a server-rendered SVG chart of the series."""
    peak = max((count for _week, count in series), default=0) or 1
    gap = 4
    bar_width = (width - gap * len(series)) / max(len(series), 1)
    bars = []
    for index, (week, count) in enumerate(series):
        bar_height = (height - 30) * count / peak
        bars.append(
            {
                "week": week,
                "count": count,
                "x": round(index * (bar_width + gap), 1),
                "y": round(height - 20 - bar_height, 1),
                "width": round(bar_width, 1),
                "height": round(bar_height, 1),
                "label_x": round(index * (bar_width + gap) + bar_width / 2, 1),
            }
        )
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "baseline": height - 20,
        # Room below the bars for the week labels and the axis's name.
        "full_height": height + 20,
        "week_label_y": height - 6,
        "axis_label_x": width / 2,
        "axis_label_y": height + 14,
        "total": sum(count for _week, count in series),
    }
