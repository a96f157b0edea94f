"""A large, deterministic data set for performance measurements.

`manage.py generate_bench_data --help` describes what is made. The same seed, sizes and
epoch always give the same rows (database ids, translation keys and password salts
aside).
"""

import random

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation

from accounts.models import Membership, Organisation, User
from certificates.figures import refresh_certificate_expiry
from cohorts.models import Assignment, Cohort, CohortMember
from courses.models import CoursePage, Enrolment, LessonCompletion
from learning import progress_summary
from quizzes.models import Attempt

from .bulk import Inserted, collector_paused, historical_dates
from .content import COURSE_SLUG_PREFIX, create_courses
from .learning import create_learning
from .people import (
    BENCH_LEARNER_EMAIL,
    BENCH_TRAINER_EMAIL,
    LEARNER_EMAIL_PREFIX,
    ORGANISATION_SLUG_PREFIX,
    create_people,
)
from .sizes import DEFAULT_EPOCH, SizeError, Sizes

__all__ = [
    "BENCH_LEARNER_EMAIL",
    "BENCH_TRAINER_EMAIL",
    "DEFAULT_EPOCH",
    "AlreadyGenerated",
    "Sizes",
    "SizeError",
    "existing_learners",
    "generate",
]

DATED_FIELDS = [
    (Organisation, "created_at"),
    (Membership, "joined_at"),
    (Cohort, "created_at"),
    (CohortMember, "added_at"),
    (Assignment, "created_at"),
    (Enrolment, "enrolled_at"),
    (Enrolment, "last_activity_at"),
    (LessonCompletion, "completed_at"),
    (Attempt, "started_at"),
]


class AlreadyGenerated(Exception):
    """The database already holds benchmark data; the message says what was found."""


def existing_learners():
    """How many benchmark learners the database holds, or None when it holds no trace of
    benchmark data at all."""
    learners = User.objects.filter(email__startswith=LEARNER_EMAIL_PREFIX).count()
    traces = (
        learners
        or User.objects.filter(email=BENCH_TRAINER_EMAIL).exists()
        or Organisation.objects.filter(slug__startswith=ORGANISATION_SLUG_PREFIX).exists()
        or CoursePage.objects.filter(slug__startswith=COURSE_SLUG_PREFIX).exists()
    )
    return learners if traces else None


def generate(sizes, seed, epoch, password, totp_secret):
    """Create everything in one transaction: a failed run leaves nothing behind.

    Returns the number of rows inserted per model (pages and question banks aside).
    """
    problems = sizes.problems()
    if problems:
        raise SizeError(" ".join(problems))
    inserted = Inserted()
    with (
        transaction.atomic(),
        collector_paused(),
        translation.override(settings.LANGUAGE_CODE),
        historical_dates(*(model._meta.get_field(name) for model, name in DATED_FIELDS)),
    ):
        if existing_learners() is not None:
            raise AlreadyGenerated(existing_learners())
        # Each part draws from its own stream, so changing one part's draws leaves the
        # others' data as it was.
        courses = create_courses(sizes)
        people = create_people(
            sizes,
            random.Random(f"{seed}:people"),  # noqa: S311 (reproducible, not secret)
            epoch,
            password,
            totp_secret,
            [course.pk for course in courses],
            inserted,
        )
        create_learning(
            sizes,
            random.Random(f"{seed}:learning"),  # noqa: S311 (reproducible, not secret)
            epoch,
            courses,
            people,
            inserted,
        )
        # Bulk inserts skip the code that keeps the dashboard figures; fill them in, with
        # statistics for the new rows first so the planner does not take the tables for
        # empty ones.
        analyse()
        paths = CoursePage.objects.filter(pk__in=[course.pk for course in courses])
        for path in paths.values_list("path", flat=True):
            progress_summary.refresh(path)
            refresh_certificate_expiry(path)
    # Fresh planner statistics: until autovacuum catches up, PostgreSQL plans for the
    # empty tables it last saw, and a 10,000-learner dashboard took minutes instead of
    # seconds.
    analyse()
    return inserted


def analyse():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
