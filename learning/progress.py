"""Enrolment, progress and completion rules, kept apart from HTTP so they can be tested alone."""

from dataclasses import dataclass
from functools import cache, lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from core.page_languages import original
from core.page_routing import any_view_restrictions, not_private
from core.prebuilt_sql import as_the_orm_gives, partly_loaded, prebuild
from courses.models import CoursePage, Enrolment, LessonCompletion, LessonPage
from quizzes.models import AssessmentPage, Attempt

from . import progress_summary
from .rules import (
    is_course_complete,
    is_required,
    required_item_counts,
    task_status,
)
from .signals import course_completed, lesson_completed


class ProgressError(Exception):
    """A learner asked for something the completion rules do not allow; the message says why."""


@dataclass(frozen=True)
class Progress:
    completed: int
    total: int

    @property
    def percent(self):
        if not self.total:
            return 0
        return round(100 * self.completed / self.total)


def missing_prerequisites(user, course, prerequisites=None):
    """Courses the user must complete before this one, in title order. `prerequisites`,
    live_prerequisites' answer when the caller has it, saves reading them again."""
    if prerequisites is None:
        course = original(course)
        prerequisites = list(course.prerequisites.live().order_by("title"))
    if not user.is_authenticated or not prerequisites:
        return list(prerequisites)
    completed = set(
        Enrolment.objects.filter(
            user=user,
            completed_at__isnull=False,
            course_id__in=[prerequisite.pk for prerequisite in prerequisites],
        ).values_list("course_id", flat=True)
    )
    return [prerequisite for prerequisite in prerequisites if prerequisite.pk not in completed]


@transaction.atomic
def enrol(user, course):
    """Enrol the user, or refuse with a message naming the courses to take first."""
    course = original(course)
    existing = enrolment_on(course, user)
    if existing:
        return existing
    missing = missing_prerequisites(user, course)
    if missing:
        raise ProgressError(prerequisites_message(missing))
    enrolment, _created = Enrolment.objects.get_or_create(user=user, course=course)
    return enrolment


def update_completion(enrolment):
    """Mark the enrolment complete the first time the rules are met, and say so once."""
    if enrolment.completed_at or not is_course_complete(enrolment):
        return False
    now = timezone.now()
    # The conditional update makes concurrent requests agree on who completed it first.
    won = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(
        completed_at=now
    )
    if not won:
        return False
    enrolment.completed_at = now
    course_completed.send(sender=Enrolment, enrolment=enrolment)
    return True


@transaction.atomic
def complete_lesson(user, lesson):
    """Record that the user completed a lesson of a course they are enrolled in."""
    lesson = original(lesson)
    course = lesson.get_parent().specific
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if enrolment is None:
        missing = missing_prerequisites(user, course)
        if missing:
            raise ProgressError(prerequisites_message(missing))
        raise ProgressError(_("Enrol in this course before marking its lessons complete."))
    completion, created = LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    if created:
        lesson_completed.send(sender=LessonCompletion, completion=completion)
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=timezone.now())
    progress_summary.refresh(course.path, [enrolment.pk])
    update_completion(enrolment)
    return enrolment


@transaction.atomic
def start_new_cycle(enrolment):
    """Take the course again (to renew a certificate): progress starts from nothing.

    Certificates already issued are untouched; the lesson completions of the old
    cycle are cleared so the course page shows where the learner is now.
    """
    enrolment.completions.all().delete()
    Enrolment.objects.filter(pk=enrolment.pk).update(
        completed_at=None, cycle_started_at=timezone.now(), last_activity_at=timezone.now()
    )
    progress_summary.refresh(enrolment.course.path, [enrolment.pk])
    enrolment.refresh_from_db()
    return enrolment


def next_lesson(items, done_keys):
    """Where to continue: the first required item not yet done, else the first not done."""
    for item in items:
        if is_required(item) and item.translation_key not in done_keys:
            return item
    return next((item for item in items if item.translation_key not in done_keys), None)


# What the course page, the next step and the rules read of each lesson and assessment:
# titles, addresses, order, and whether it is required.
COURSE_ITEM_FIELDS = (
    "id",
    "path",
    "depth",
    "title",
    "slug",
    "url_path",
    "translation_key",
    "locale_id",
    "content_type_id",
    "live",
)


def with_course_to_show(model, *related):
    """`only()` for records of `model` read with their course (`select_related`): all
    the record's own fields, and of the course what naming, linking and counting it
    reads (COURSE_ITEM_FIELDS), leaving its summary and body unread; `related` names
    any other related fields wanted."""
    return [
        *(field.name for field in model._meta.concrete_fields),
        *(f"course__{name}" for name in COURSE_ITEM_FIELDS),
        *related,
    ]


# A course's live prerequisites in title order, with the fields a course page shows and
# links them by: those course_items reads of its items, and the time each course takes.
PREREQUISITES_SQL = """
    SELECT {columns}, course.estimated_minutes
    FROM courses_coursepage_prerequisites link
    JOIN wagtailcore_page page ON page.id = link.to_coursepage_id
    JOIN courses_coursepage course ON course.page_ptr_id = page.id
    WHERE link.from_coursepage_id = %s AND page.live
    ORDER BY page.title
"""
PREREQUISITE_FIELDS = (*COURSE_ITEM_FIELDS, "estimated_minutes")


def live_prerequisites(course, preview=False):
    """The courses to take before this one (its default-language page), live, in title
    order. A preview shows the draft's own choice, which only the page object holds;
    otherwise they are read in one plain statement, as a course page does on every visit."""
    if preview:
        # In a preview these are modelcluster's in-memory pages, which know no live().
        return list(course.prerequisites.filter(live=True).order_by("title"))
    alias = router.db_for_read(Page)
    columns = ", ".join(f"page.{name}" for name in COURSE_ITEM_FIELDS)
    with connections[alias].cursor() as cursor:
        cursor.execute(PREREQUISITES_SQL.format(columns=columns), [course.pk])
        rows = cursor.fetchall()
    fields = [CoursePage._meta.get_field(name) for name in PREREQUISITE_FIELDS]
    return [
        partly_loaded(CoursePage, alias, {**loaded, "page_ptr_id": loaded["id"]})
        for loaded in (
            dict(zip(PREREQUISITE_FIELDS, as_the_orm_gives(fields, row), strict=True))
            for row in rows
        )
    ]


def prerequisites_message(missing):
    return _("Take %(courses)s first; this course builds on it.") % {
        "courses": ", ".join(f"“{course.title}”" for course in missing)
    }


# Stand where a course's tree path and its items' depth go while their statement is
# built: tree paths are upper-case letters and digits, and no tree is that deep. (The
# depth is a positive field, which Django does not compare with a negative marker.)
PATH_MARKER = "course-path-marker"
DEPTH_MARKER = 917_403_615


def content_type_id(model):
    # Django keeps content types in memory once read, so this asks the database once.
    return ContentType.objects.get_for_model(model).pk


def course_item_rows(course_path, depth, public):
    """The values of COURSE_ITEM_FIELDS, then a lesson's `required` and an assessment's
    `kind` (the other is None), of the live items at `depth` under the course's path."""
    return (
        Page.objects.filter(path__startswith=course_path, depth=depth)
        .live()
        .filter(public)
        .filter(content_type_id__in=[content_type_id(LessonPage), content_type_id(AssessmentPage)])
        .order_by("path")
        .values_list(*COURSE_ITEM_FIELDS, "lessonpage__required", "assessmentpage__kind")
    )


@lru_cache(maxsize=4)
def _course_items_statement(alias):
    rows = course_item_rows(PATH_MARKER, DEPTH_MARKER, Q())
    return prebuild(rows.query.get_compiler(using=alias), f"{PATH_MARKER}%", DEPTH_MARKER)


def course_item_values(course):
    """The rows of course_item_rows() for the course's children. Building that query's
    SQL took three times as long as running it, and a course page runs it on every
    visit, so while no page is private (the usual case: private sections change the
    statement) it is built once per process (core.prebuilt_sql)."""
    depth = course.depth + 1
    if any_view_restrictions():
        return list(course_item_rows(course.path, depth, not_private()))
    alias = router.db_for_read(Page)
    statement = _course_items_statement(alias)
    with connections[alias].cursor() as cursor:
        # Tree paths hold nothing that LIKE reads specially, so the path needs no escaping.
        cursor.execute(statement.sql, statement.params_with(f"{course.path}%", depth))
        rows = cursor.fetchall()
    # As the ORM gives them (SQLite, say, gives a translation key as hex digits).
    fields = course_item_fields()
    return [as_the_orm_gives(fields, row) for row in rows]


@cache
def course_item_fields():
    return [
        *(Page._meta.get_field(name) for name in COURSE_ITEM_FIELDS),
        LessonPage._meta.get_field("required"),
        AssessmentPage._meta.get_field("kind"),
    ]


def course_items(course):
    """Lessons and assessments in the order editors set, as their specific pages, in one
    query of the few fields read of them (any other is read when first used): a course
    page is built on every visit, and a full page row per item, twice over for the two
    kinds, was a fifth of its work."""
    alias = router.db_for_read(Page)
    items = []
    for *page_values, required, kind in course_item_values(course):
        loaded = dict(zip(COURSE_ITEM_FIELDS, page_values, strict=True), page_ptr_id=page_values[0])
        if kind is None:
            items.append(partly_loaded(LessonPage, alias, {**loaded, "required": required}))
        else:
            items.append(partly_loaded(AssessmentPage, alias, {**loaded, "kind": kind}))
    return items


# The lessons completed in an enrolment's current cycle, then the attempts begun in that
# cycle at the course's assessments (whether each is open, and whether it passed), each
# by its page's translation key. A course page reads this on every visit by a learner;
# as two ORM queries, building them cost three times what running them did.
CYCLE_SQL = """
    SELECT lesson.translation_key, NULL, NULL
    FROM courses_lessoncompletion completion
    JOIN wagtailcore_page lesson ON lesson.id = completion.lesson_id
    WHERE completion.enrolment_id = %s
    UNION ALL
    SELECT assessment.translation_key, attempt.submitted_at IS NULL, attempt.passed
    FROM courses_enrolment enrolment
    JOIN quizzes_attempt attempt ON attempt.user_id = enrolment.user_id
        AND attempt.started_at >= enrolment.cycle_started_at
    JOIN wagtailcore_page assessment ON assessment.id = attempt.assessment_id
    WHERE enrolment.id = %s AND assessment.path LIKE %s
"""


@dataclass(frozen=True)
class Cycle:
    """Where a learner stands on a course's items in their enrolment's current cycle.

    `done` holds the translation keys of the items done, by the rule in learning.rules
    (lessons completed, final assessments passed), so they match the pages in whichever
    language the learner reads; `attempts` gives, for each assessment attempted, whether
    an attempt is open, whether a marked one failed, and whether one passed."""

    done: frozenset
    attempts: dict


def current_cycle(enrolment, course):
    """The enrolment's Cycle on the course (its default-language page), in one query."""
    to_key = Page._meta.get_field("translation_key").to_python
    lessons, attempts = set(), {}
    with connections[router.db_for_read(Attempt)].cursor() as cursor:
        # Tree paths hold nothing that LIKE reads specially, so the path needs no escaping.
        cursor.execute(CYCLE_SQL, [enrolment.pk, enrolment.pk, f"{course.path}%"])
        rows = cursor.fetchall()
    for key, open_now, passed in rows:
        key = to_key(key)
        if open_now is None:
            lessons.add(key)
            continue
        # SQLite gives the flags as 1 and 0.
        open_attempt, failed, any_passed = attempts.get(key, (False, False, False))
        attempts[key] = (
            open_attempt or bool(open_now),
            failed or (passed is not None and not passed),
            any_passed or bool(passed),
        )
    passes = {key for key, (_open, _failed, passed) in attempts.items() if passed}
    return Cycle(done=frozenset(lessons | passes), attempts=attempts)


# A reader's enrolment on a course, read on every visit to the course page. Through raw()
# the ORM still loads it with each database's conversions (dates on SQLite), but skips
# building the SQL, which took twice as long as running it.
ENROLMENT_SQL = "SELECT * FROM courses_enrolment WHERE user_id = %s AND course_id = %s"


def enrolment_on(course, user):
    """The user's enrolment on the course (its default-language page), or None; there
    is at most one (courses_enrolment_unique)."""
    found = list(Enrolment.objects.raw(ENROLMENT_SQL, [user.pk, course.pk]))
    return found[0] if found else None


def course_overview(course, user, preview=False):
    items = course_items(course)
    canonical = original(course)
    prerequisites = live_prerequisites(canonical, preview)
    enrolment = None
    done_keys, attempts = set(), {}
    if user.is_authenticated:
        enrolment = enrolment_on(canonical, user)
        if enrolment:
            cycle = current_cycle(enrolment, canonical)
            done_keys, attempts = cycle.done, cycle.attempts
    required = [item for item in items if is_required(item)]
    missing = [] if enrolment else missing_prerequisites(user, canonical, prerequisites)
    for item in items:
        open_attempt, failed, _passed = attempts.get(item.translation_key, (False, False, False))
        item.task_status = task_status(
            done=item.translation_key in done_keys,
            can_start=not missing,
            open_attempt=open_attempt,
            failed=failed,
        )
    return {
        "lessons": items,
        "enrolment": enrolment,
        "started": bool(done_keys or attempts),
        "completed_lesson_keys": done_keys,
        "progress": Progress(
            completed=sum(1 for item in required if item.translation_key in done_keys),
            total=len(required),
        ),
        "continue_lesson": next_lesson(items, done_keys) if enrolment else None,
        "missing_prerequisites": missing,
        "prerequisites": prerequisites,
    }


def lesson_overview(lesson, user):
    course = lesson.get_parent().specific
    # Titles and addresses are enough for the position and the links; bodies stay unread.
    lessons = list(course.lessons().defer_streamfields())
    position = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), None)
    # Progress is recorded against the default-language pages, whatever language is read.
    facts = {"course": original(course).pk, "lesson": original(lesson).pk}
    return {
        "course": course,
        "lesson_state": lesson_state(user, facts),
        "lesson_facts": facts,
        "lesson_number": (position or 0) + 1,
        "lesson_count": len(lessons),
        "previous_lesson": lessons[position - 1] if position else None,
        "next_lesson_in_course": (
            lessons[position + 1] if position is not None and position + 1 < len(lessons) else None
        ),
    }


LESSON_COMPLETED = "completed"
LESSON_OPEN = "open"
NOT_ENROLLED = "not-enrolled"


def lesson_state(user, facts):
    """Where the user stands on a lesson, in one query: completed, open (enrolled on its
    course, not yet completed) or not enrolled. `facts` names the course (its
    default-language page) and the lesson (likewise), as lesson_overview gives them."""
    if not user.is_authenticated:
        return NOT_ENROLLED
    completed = (
        Enrolment.objects.filter(user=user, course_id=facts["course"])
        .annotate(
            done=Exists(
                LessonCompletion.objects.filter(enrolment=OuterRef("pk"), lesson_id=facts["lesson"])
            )
        )
        .values_list("done", flat=True)
        .first()
    )
    if completed is None:
        return NOT_ENROLLED
    return LESSON_COMPLETED if completed else LESSON_OPEN


def learning_dashboard(user):
    """The user's enrolments with progress, in a fixed number of queries. The items done
    in each enrolment's cycle are the figures kept on it (learning.progress_summary, by
    the rules of learning.rules), refreshed whenever the learner or the course changes."""
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .select_related("course")
        .only(*with_course_to_show(Enrolment))
        .order_by("-last_activity_at")
    )
    totals = required_item_counts([enrolment.course for enrolment in enrolments])
    for enrolment in enrolments:
        enrolment.progress = Progress(
            completed=enrolment.items_done, total=totals.get(enrolment.course.path, 0)
        )
    return {
        "in_progress": [e for e in enrolments if not e.is_complete],
        "completed": [e for e in enrolments if e.is_complete],
    }
