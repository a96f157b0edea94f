"""Cohort and organisation dashboards, computed in the database.

Every figure comes from a fixed number of queries whatever the number of learners:
per-learner values are subqueries on one queryset, counts are conditional aggregates,
and tables are paginated.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from courses.models import Enrolment
from courses.progress import required_item_counts
from recognise.accounts.models import User

STATUSES = {
    "not_started": _("Not started"),
    "in_progress": _("In progress"),
    "completed": _("Completed"),
    "overdue": _("Overdue"),
}
# Empty scores and completion dates sort last on every database (PostgreSQL puts NULL
# first in descending order unless told otherwise).
SORTS = {
    "name": ("display_name", "email"),
    "status": ("status", "display_name"),
    "progress": (F("items_done").desc(), "display_name"),
    "score": (F("best_score").desc(nulls_last=True), "display_name"),
    "completed": (F("completed_at").desc(nulls_last=True), "display_name"),
}
EXPIRING_DAYS = 60


def assignment_learners(assignment):
    if assignment.cohort_id:
        return User.objects.filter(cohort_memberships__cohort_id=assignment.cohort_id)
    return User.objects.filter(pk=assignment.user_id)


def learner_rows(assignment, today=None):
    """The assignment's learners, each annotated with their progress on its course.

    Progress figures are kept on the enrolment (courses.progress_summary), so each
    learner costs one join rather than a subquery per figure.
    """
    today = today or timezone.localdate()
    course = assignment.course
    certificate = Certificate.objects.filter(
        user=OuterRef("pk"), course=course, revoked_at__isnull=True
    ).order_by("-expires_on")
    # Past the due date, everyone who has not finished is overdue, however far they got.
    completed = Q(completed_at__isnull=False) | Q(certificate_expires__gte=today)
    if assignment.due_date < today:
        whens, default = [When(completed, then=Value("completed"))], Value("overdue")
    else:
        whens = [
            When(completed, then=Value("completed")),
            When(Q(items_done__gt=0) | Q(has_attempt=True), then=Value("in_progress")),
        ]
        default = Value("not_started")
    return (
        assignment_learners(assignment)
        .annotate(on_course=FilteredRelation("enrolments", condition=Q(enrolments__course=course)))
        .annotate(
            completed_at=F("on_course__completed_at"),
            items_done=Coalesce(F("on_course__items_done"), 0, output_field=IntegerField()),
            best_score=F("on_course__best_score"),
            has_attempt=Coalesce(F("on_course__attempted"), False, output_field=BooleanField()),
            certificate_expires=F("on_course__certificate_expires_on"),
            certificate_id=Subquery(certificate.values("pk")[:1]),
        )
        .annotate(status=Case(*whens, default=default, output_field=CharField()))
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


def summarise(rows):
    # One pass grouped by status; a filtered count per status would work out every
    # learner's status once for each count.
    counts = dict(rows.order_by().values_list("status").annotate(count=Count("pk")))
    statuses = ("not_started", "in_progress", "completed", "overdue")
    return Summary(total=sum(counts.values()), **{key: counts.get(key, 0) for key in statuses})


def required_total(course):
    return required_item_counts([course]).get(course.path, 0)


def certificate_status(expires_on, today):
    if expires_on is None:
        return "", ""
    if expires_on < today:
        return "expired", _("Expired")
    if (expires_on - today).days <= EXPIRING_DAYS:
        return "expiring", _("Expiring")
    return "valid", _("Valid")


def decorate(rows, total_items, today):
    """Add the display-only values to a page of rows (no extra queries)."""
    for row in rows:
        row.status_label = STATUSES[row.status]
        row.progress_percent = (
            round(100 * min(row.items_done, total_items) / total_items) if total_items else 0
        )
        row.certificate_state, row.certificate_label = certificate_status(
            row.certificate_expires, today
        )
    return rows


def completions_by_week(assignment, weeks=12, today=None):
    """Completions per week over the last `weeks` weeks, oldest first, with zero weeks."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(weeks=weeks)
    learners = assignment_learners(assignment).values("pk")
    counted = dict(
        Enrolment.objects.filter(
            course=assignment.course, user__in=learners, completed_at__date__gte=start
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
    return {"bars": bars, "width": width, "height": height, "baseline": height - 20}
