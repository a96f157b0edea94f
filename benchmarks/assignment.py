"""Assigning a course to the 10,000-learner cohort: from the trainer's click to the job
done, and the database queries the job ran.

The trainer's browser posts the assignment form to the running site, which queues the
job and answers at once; the job is then run here, as the worker runs it, with its
queries counted. The enrolments and the assignment the measurement made are deleted
afterwards, so that each run measures the same work.

    measure_assignment(trainer, cohort_id)      (from benchmarks/run.py)
    .venv/bin/python benchmarks/assignment.py --dry-run
"""

import datetime
import re
import sys
import time

JOB_PAGE = re.compile(r"/trainer/jobs/(\d+)/$")


class QueryCounter:
    """Counts the queries run on a connection (connection.execute_wrapper)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def course_to_assign(cohort):
    """A live course none of the cohort is enrolled in, else any live course."""
    from courses.models import CoursePage, Enrolment  # noqa: PLC0415 (loadable only after setup_django)

    taken = Enrolment.objects.filter(user__cohort_memberships__cohort=cohort).values("course")
    courses = CoursePage.objects.live().order_by("path")
    return courses.exclude(pk__in=taken).first() or courses.first()


def run_counted(job_id):
    from django.db import connection  # noqa: PLC0415 (loadable only after setup_django)

    from cohorts.jobs import run_job  # noqa: PLC0415 (loadable only after setup_django)

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        run_job(job_id)
    return counter.count


def undo(job, started_at):
    """Leave the database as it was: the enrolments the job made, and its assignment."""
    from cohorts.models import Assignment  # noqa: PLC0415 (loadable only after setup_django)
    from courses.models import Enrolment  # noqa: PLC0415 (loadable only after setup_django)

    Enrolment.objects.filter(
        user__cohort_memberships__cohort=job.cohort_id, enrolled_at__gte=started_at
    ).delete()
    Assignment.objects.filter(pk__in=job.params.get("assignments", [])).delete()
    job.delete()


def measure_assignment(trainer, cohort_id):
    """Seconds from posting the form to the job done, and the job's queries."""
    from django.utils import timezone  # noqa: PLC0415 (loadable only after setup_django)

    from cohorts.models import Cohort, TrainerJob  # noqa: PLC0415 (loadable only after setup_django)

    cohort = Cohort.objects.get(pk=cohort_id)
    course = course_to_assign(cohort)
    path = f"/en/trainer/cohorts/{cohort.pk}/assign/"
    # A due date no other run used: a new assignment each time.
    due = datetime.date.today() + datetime.timedelta(days=300 + int(time.time()) % 60)
    started_at = timezone.now()
    started = time.monotonic()
    response = trainer.post(path, {"courses": [course.pk], "due_date": due.isoformat()})
    answered = time.monotonic() - started
    found = JOB_PAGE.search(response.headers.get("Location", ""))
    if response.status_code != 302 or not found:
        raise SystemExit(f"Assigning answered {response.status_code}, not the job's page")
    job = TrainerJob.objects.get(pk=found.group(1))
    queries = run_counted(job.pk)
    seconds = time.monotonic() - started
    job.refresh_from_db()
    result = {
        "learners": cohort.memberships.count(),
        "course": course.title,
        "request_seconds": round(answered, 3),
        "click_to_done_seconds": round(seconds, 2),
        "job_queries": queries,
        "status": job.status,
    }
    undo(job, started_at)
    return result


def print_result(result):
    print(
        f"Assigning “{result['course']}” to {result['learners']:,} learners: "
        f"the request answered in {result['request_seconds']:.2f} s, done "
        f"{result['click_to_done_seconds']:.1f} s after the click, "
        f"{result['job_queries']} queries ({result['status']})"
    )


def dry_run():
    """Check the measurement's own arithmetic and printing, with no site or database."""
    counter = QueryCounter()
    for _ in range(3):
        counter(lambda *args: None, "SELECT 1", (), False, {})
    assert counter.count == 3
    assert JOB_PAGE.search("/en/trainer/jobs/12/").group(1) == "12"
    print_result(
        {
            "learners": 10_000,
            "course": "Dry run",
            "request_seconds": 0.05,
            "click_to_done_seconds": 0.0,
            "job_queries": counter.count,
            "status": "done",
        }
    )


if __name__ == "__main__":
    if "--dry-run" in sys.argv:
        dry_run()
    else:
        raise SystemExit("Run through benchmarks/run.py, which builds the site and signs in.")
