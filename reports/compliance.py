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
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    Min,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.backends import user_version
from accounts.models import Membership, User
from cohorts.due_dates import due_date_for, joined_late_any, past_due_any
from cohorts.models import (
    Assignment,
    Cohort,
    CohortMember,
    assignments_version,
    cohorts_version,
    members_version,
)
from core import cache_versions
from core.page_cache import GENERATION as PAGES_VERSION
from core.page_languages import with_reader_title
from core.text_aggregates import JoinedText
from courses.models import CoursePage, Enrolment
from learning.progress_summary import figures_version
from learning.rules import Status, met, status_by_row, status_of

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
            # No default: a grouped expression with a parameter is not recognised as
            # grouped on PostgreSQL, and an empty figure is not "started" all the same.
            items_done=either("enrolment__items_done"),
            attempted=either("enrolment__attempted"),
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
    # Whether the learner's own due date on an assignment has passed (a late joiner's
    # is later than their cohort's: cohorts.due_dates), counted before grouping.
    assignments = list(chosen_assignments(organisations, cohort, course))
    joined = "cohort__memberships__added_at"
    past_due = past_due_any(assignments, today, joined=joined, assignment_field="pk")
    rows = (
        rows.values(*ROW_FIELDS)
        .annotate(
            due_date=Min("due_date"),
            staff_number=Max("row_staff_number"),
            cohort_name=JoinedText("row_cohort_name"),
            assigned_directly=Count("pk", filter=Q(cohort__isnull=True)),
            past_due=Count("pk", filter=past_due),
            # Rows whose due date is a late joiner's own, not the assignment's.
            late_joined=Count("pk", filter=joined_late_any(assignments, joined, "pk")),
        )
        .annotate(status=status_by_row(today, late=Q(past_due__gt=0)))
    )
    if status:
        rows = rows.filter(status=status)
    return rows


def ordered(rows):
    # Names sort as people read them, "Load 2" before "Load 10" (accounts.natural_names).
    return rows.order_by("learner_natural", "learner_email", "learner_id", "course_title")


class ChosenLearners:
    """The learners with at least one row the filters keep, in the table's order, as a
    Paginator reads them: count() and a slice.

    The learners reached through a cohort and those assigned a course directly are
    read as two queries that each walk the name index and stop after the page, then
    merged: one query joining both ways by OR would read every member first. A status
    filter needs the statuses, so it reads the rows."""

    order = ("natural_name", "email", "pk")
    # What the table shows of each learner besides their rows.
    shown = ("display_name",)

    def __init__(self, organisations, today, cohort=None, course=None, status="", search=""):
        self.organisations = organisations
        self.criteria = {"cohort": cohort, "course": course, "status": status, "search": search}
        assignments = chosen_assignments(organisations, cohort, course)
        if status:
            chosen = compliance_rows(organisations, today, cohort, course, status, search)
            self.ways = [User.objects.filter(pk__in=chosen.values("learner_id"))]
        else:
            in_cohort = CohortMember.objects.filter(
                user=OuterRef("pk"), cohort__assignments__in=assignments
            )
            alone = assignments.filter(user=OuterRef("pk"))
            self.ways = [
                self.searched(User.objects.filter(Exists(in_cohort)), search),
                self.searched(User.objects.filter(Exists(alone)), search),
            ]
        self.ways = [
            way.order_by(*self.order).only("pk", *self.order[:2], *self.shown) for way in self.ways
        ]

    def searched(self, learners, search):
        if not search:
            return learners
        staff_number = Membership.objects.filter(
            user=OuterRef("pk"), organisation__in=self.organisations, staff_number__icontains=search
        )
        return learners.filter(
            Q(display_name__icontains=search) | Q(email__icontains=search) | Exists(staff_number)
        )

    def count(self):
        if len(self.ways) == 1:
            return self.ways[0].count()
        ids = [way.order_by().values("pk") for way in self.ways]
        return ids[0].union(ids[1]).count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        found = {}
        for way in self.ways:
            for learner in way[:stop]:
                found[learner.pk] = learner
        merged = sorted(found.values(), key=lambda u: (u.natural_name, u.email, u.pk))
        return merged[start:stop]


def chosen_learners(organisations, today, **criteria):
    return ChosenLearners(organisations, today, **criteria)


def reached_by(assignments, learner_ids):
    """(learner, cohort name or None, course, course title, own due date, organisation)
    for each of these assignments that reaches one of these learners: through a cohort
    they are in, or directly. The due date is the learner's own (cohorts.due_dates)."""
    by_id = {assignment.pk: assignment for assignment in assignments}
    fields = ("course_id", "course__title", "pk", "organisation_id")
    through_cohorts = assignments.filter(cohort__memberships__user__in=learner_ids).values_list(
        "cohort__memberships__user", "cohort__name", "cohort__memberships__added_at", *fields
    )
    directly = assignments.filter(user__in=learner_ids).values_list("user", *fields)
    return [
        (learner_id, cohort_name, course_id, title, due_date_for(by_id[pk], joined_at), org)
        for learner_id, cohort_name, joined_at, course_id, title, pk, org in through_cohorts
    ] + [
        (learner_id, None, course_id, title, by_id[pk].due_date, org)
        for learner_id, course_id, title, pk, org in directly
    ]


def earliest_due_dates(assignments, learner_ids):
    """{(learner, course): the earliest of the learner's own due dates on the course}."""
    earliest = {}
    for learner_id, _cohort, course_id, _title, due_date, _org in reached_by(
        assignments, learner_ids
    ):
        key = (learner_id, course_id)
        earliest[key] = min(earliest.get(key, due_date), due_date)
    return earliest


def own_due_dates(organisations, cohort=None, course=None, **_):
    """earliest_due_dates() of the assignments these filters choose, for the exports."""
    assignments = chosen_assignments(organisations, cohort, course)
    return lambda learner_ids: earliest_due_dates(assignments, learner_ids)


def rows_of_learners(organisations, today, learners, cohort=None, course=None, status="", **_):
    """The table's rows of a page of learners (as ChosenLearners reads them), grouped as
    compliance_rows() groups them, from a few indexed reads of their assignments,
    enrolments and staff numbers; each status from learning.rules.status_of."""
    users = {learner.pk: learner for learner in learners}
    learner_ids = list(users)
    assignments = chosen_assignments(organisations, cohort, course)
    reached = reached_by(assignments, learner_ids)
    enrolments = {
        (enrolment.user_id, enrolment.course_id): enrolment
        for enrolment in Enrolment.objects.filter(
            user__in=learner_ids, course__in={row[2] for row in reached}
        ).only(
            "user", "course", "completed_at", "certificate_expires_on", "items_done", "attempted"
        )
    }
    staff_numbers = {
        (membership.user_id, membership.organisation_id): membership.staff_number
        for membership in Membership.objects.filter(
            user__in=learner_ids, organisation__in=organisations
        )
    }
    grouped = {}
    for learner_id, cohort_name, course_id, title, due_date, organisation_id in reached:
        row = grouped.setdefault(
            (learner_id, course_id),
            {
                "learner_id": learner_id,
                "course_title": title,
                "due_date": due_date,
                "cohorts": set(),
                "assigned_directly": 0,
                "staff_number": "",
            },
        )
        row["due_date"] = min(row["due_date"], due_date)
        if cohort_name is None:
            row["assigned_directly"] += 1
        else:
            row["cohorts"].add(cohort_name)
        row["staff_number"] = max(
            row["staff_number"], staff_numbers.get((learner_id, organisation_id), "")
        )
    rows = []
    for (learner_id, course_id), row in grouped.items():
        learner, enrolment = users[learner_id], enrolments.get((learner_id, course_id))
        row.update(
            learner_name=learner.display_name,
            learner_email=learner.email,
            cohort_name=", ".join(sorted(row.pop("cohorts"))),
            completed_at=enrolment and enrolment.completed_at,
            certificate_expires_on=enrolment and enrolment.certificate_expires_on,
            status=status_of(enrolment, row["due_date"], today),
        )
        if not status or row["status"] == status:
            rows.append(row)
    place = {learner_id: index for index, learner_id in enumerate(learner_ids)}
    rows.sort(key=lambda row: (place[row["learner_id"]], row["course_title"]))
    return rows


def kept_rows_of_learners(organisations, today, learners, assigned):
    """rows_of_learners() of a page of the unfiltered table, worked out once and then
    kept until something they are read from changes: the organisations' assignments or
    their cohorts' membership (reach_versions), the figures kept on enrolments in an
    assigned course (learning.progress_summary), or one of these learners' accounts or
    organisation memberships (their name, email and staff number: accounts.backends)."""
    learners = list(learners)
    ids = [learner.pk for learner in learners]
    versions = (
        reach_versions(organisations, assigned)
        + sorted({figures_version(path) for *_rest, path in assigned})
        + [user_version(pk) for pk in ids]
    )
    return cache_versions.kept(
        f"compliance-rows:{organisations_key(organisations)}:{today}:{','.join(map(str, ids))}",
        versions,
        lambda: rows_of_learners(organisations, today, learners),
        settings.PAGE_CACHE_SECONDS,
    )


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


def assigned_cohorts(organisations):
    """(organisation, cohort, cohort name, course path) of every assignment, the cohort
    and its name None for one made directly: what the kept figures are counted from, so
    the names of their versions."""
    return list(
        Assignment.objects.filter(organisation__in=organisations)
        .values_list("organisation_id", "cohort_id", "cohort__name", "course__path")
        .distinct()
    )


def reach_versions(organisations, assigned):
    """Versions of who the organisations' assignments reach: their assignments and the
    membership of each cohort that has one."""
    organisation_ids = {organisation.pk for organisation in organisations}
    return sorted(
        {assignments_version(pk) for pk in organisation_ids}
        | {members_version(cohort_id) for _org, cohort_id, *_rest in assigned if cohort_id}
    )


def organisations_key(organisations):
    return ",".join(str(pk) for pk in sorted(organisation.pk for organisation in organisations))


def filter_choices(organisations):
    """(id, name) of the organisations' cohorts, and of the courses assigned in them,
    titled in the reader's language: what the table's filters offer."""
    cohorts = list(Cohort.objects.filter(organisation__in=organisations).values_list("pk", "name"))
    assigned = Assignment.objects.filter(organisation__in=organisations).values("course")
    courses = with_reader_title(CoursePage.objects.filter(pk__in=assigned).order_by("title"))
    return cohorts, [(course.pk, course.reader_title) for course in courses]


def kept_filter_choices(organisations):
    """filter_choices(), read once per language and then kept until one of the
    organisations' cohorts or assignments, or any page, changes."""
    ids = sorted(organisation.pk for organisation in organisations)
    versions = [
        *(cohorts_version(pk) for pk in ids),
        *(assignments_version(pk) for pk in ids),
        PAGES_VERSION,
    ]
    return cache_versions.kept(
        f"compliance-filters:{organisations_key(organisations)}:{get_language()}",
        versions,
        lambda: filter_choices(organisations),
        settings.PAGE_CACHE_SECONDS,
    )


def kept_learner_count(organisations, learners, assigned):
    """How many learners the unfiltered table lists, counted once and kept until an
    assignment of the organisations or a membership of their cohorts changes."""
    return cache_versions.kept(
        f"compliance-learners:{organisations_key(organisations)}",
        reach_versions(organisations, assigned),
        learners.count,
        settings.PAGE_CACHE_SECONDS,
    )


def kept_completion_by_cohort(organisations, today, assigned):
    """completion_by_cohort(), counted once and then kept until an enrolment on an
    assigned course, a cohort's membership or the organisations' assignments change
    (or the day ends). Cohort names are read afresh, so a renamed cohort shows at once."""
    assigned = [row for row in assigned if row[1] is not None]
    if not assigned:
        return []
    names = {cohort_id: name for _org, cohort_id, name, _path in assigned}
    versions = reach_versions(organisations, assigned) + sorted(
        {figures_version(path) for *_rest, path in assigned}
    )

    def count():
        return [
            (rate.cohort_id, rate.total, rate.completed)
            for rate in completion_by_cohort(organisations, today)
        ]

    counted = cache_versions.kept(
        f"cohort-rates:{organisations_key(organisations)}:{today}",
        versions,
        count,
        settings.PAGE_CACHE_SECONDS,
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
