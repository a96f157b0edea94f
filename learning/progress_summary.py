"""Each enrolment's progress in figures, kept on the enrolment for dashboards.

A trainer's dashboard shows thousands of learners, sorted and counted by status. Working
out every learner's lessons, passes and best score on each view took seconds for a
national force; the figures are kept on the enrolment instead, refreshed by one UPDATE
whenever a learner completes a lesson or starts or submits an attempt, and for a whole
course when its lessons or assessments are published, unpublished or moved. (The
certificates app keeps the enrolment's certificate expiry itself, as it issues and
revokes them.)

The functions take the models as arguments so that a migration can fill the figures in
with its own historical models.

Counts made from the figures (a dashboard's summary and weekly chart) may be kept in the
cache under the course's figures version, which every change to its enrolments' figures
replaces.
"""

from functools import lru_cache

from django.db import connections, router, transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import UpdateQuery

from core import cache_versions
from core.prebuilt_sql import ID_MARKER, prebuild
from courses.models import Enrolment, LessonCompletion
from quizzes.models import Attempt

from .rules import REQUIRED_ASSESSMENT_FIELDS, REQUIRED_LESSON_FIELDS, related


def summary_updates(course_path, LessonCompletion, Attempt):
    """Field values for Enrolment.objects.update() on one course (at `course_path`):
    lessons done, finals passed, best score and whether any attempt was started, each
    read from their own records."""
    lessons_done = (
        LessonCompletion.objects.filter(
            enrolment=OuterRef("pk"), **related("lesson", REQUIRED_LESSON_FIELDS)
        )
        .values("enrolment")
        .annotate(done=Count("pk"))
        .values("done")[:1]
    )
    # A refresher starts the course afresh: as on the learner's own course page, only
    # attempts begun since the current cycle started count towards it.
    this_cycle = {"started_at__gte": OuterRef("cycle_started_at")}
    in_course = {
        "assessment__path__startswith": course_path,
        "assessment__depth": len(course_path) // STEP_LENGTH + 1,
    }
    finals_passed = (
        Attempt.objects.filter(
            user=OuterRef("user"),
            passed=True,
            **related("assessment", REQUIRED_ASSESSMENT_FIELDS),
            **in_course,
            **this_cycle,
        )
        .values("user")
        .annotate(done=Count("assessment", distinct=True))
        .values("done")[:1]
    )
    attempts = Attempt.objects.filter(user=OuterRef("user"), **in_course, **this_cycle)
    best_score = attempts.filter(submitted_at__isnull=False).order_by("-percent")
    return {
        "items_done": Coalesce(Subquery(lessons_done), Value(0), output_field=IntegerField())
        + Coalesce(Subquery(finals_passed), Value(0), output_field=IntegerField()),
        "best_score": Subquery(best_score.values("percent")[:1]),
        "attempted": Exists(attempts),
    }


STEP_LENGTH = 4  # characters of a page path per tree level (treebeard's steplen)


def refresh(course_path, enrolment_ids=None):
    """Recompute the figures of the course's enrolments (all of them, or those with these
    ids) in one UPDATE; the course is given by its path, which an UPDATE can use without
    reading the course."""
    if enrolment_ids is not None and len(enrolment_ids) == 1:
        return refresh_one(course_path, pk=enrolment_ids[0])
    if enrolment_ids is None:
        enrolments = Enrolment.objects.filter(course__path=course_path)
    else:
        enrolments = Enrolment.objects.filter(pk__in=enrolment_ids)
    # Every writer of an enrolment's figures or completion refreshes it in the same
    # transaction, so the new version (again at commit) covers their changes too.
    figures_changed(course_path)
    return enrolments.update(**summary_updates(course_path, LessonCompletion, Attempt))


def refresh_one(course_path, *, pk=None, user_id=None):
    """Recompute one enrolment's figures, found by its id or by its learner (so a caller
    need not read it first); returns how many rows changed (0 for a learner not enrolled).

    Learners do this on every lesson completed and attempt started or submitted, and
    building the UPDATE's subqueries took longer than running them (2.8 ms against
    0.3 ms on PostgreSQL), so the statement is built once per course and process and
    run with the enrolment's id or learner's id in its place.
    """
    by, value = ("pk", pk) if pk is not None else ("user_id", user_id)
    connection = connections[router.db_for_write(Enrolment)]
    statement = _one_enrolment_update(connection.alias, course_path, by)
    figures_changed(course_path)
    with (
        transaction.mark_for_rollback_on_error(using=connection.alias),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement.sql, statement.params_with(value))
        return cursor.rowcount


@lru_cache(maxsize=512)
def _one_enrolment_update(alias, course_path, by):
    connection = connections[alias]
    if not connection.features.update_can_self_select:
        # Building would run a SELECT (MySQL) whose ids must not be kept.
        raise NotImplementedError(f"{connection.vendor} cannot update from its own table")
    enrolments = Enrolment.objects.filter(**{by: ID_MARKER})
    if by == "user_id":
        enrolments = enrolments.filter(course__path=course_path)
    query = enrolments.query.chain(UpdateQuery)
    query.add_update_values(summary_updates(course_path, LessonCompletion, Attempt))
    return prebuild(query.get_compiler(connection=connection), ID_MARKER)


def figures_version(course_path):
    """The name of the course's figures version (core.cache_versions)."""
    return f"course-figures:{course_path}"


def figures_changed(course_path):
    cache_versions.changed(figures_version(course_path))


def parent_path(page):
    return page.path[: -page.steplen]
