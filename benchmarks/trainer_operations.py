"""Trainers' operations on the 10,000-learner cohort, one timed request each: starting
an import of a 10,000-row address file, moving a due date, removing a learner and
nudging the learners. Each must answer within TIME_LIMIT seconds; the work behind it
(the import, the emails) is queued for the worker, which the benchmark does not run.

Only the POST is timed (its form's CSRF token is read first). What a request changed
is put back afterwards, and the tasks it queued are deleted, so that each run measures
the same work.

    measure_operations(trainer, cohort_id)      (from benchmarks/run.py)
    .venv/bin/python benchmarks/trainer_operations.py --dry-run
"""

import datetime
import sys
import time

TIME_LIMIT = 2.0
IMPORT_ROWS = 10_000


def timed_post(browser, path, data=None, files=None):
    """Seconds the POST alone took, and its response."""
    token = browser.csrf_token(path)
    started = time.monotonic()
    response = browser._request(
        "POST", path, data={"csrfmiddlewaretoken": token, **(data or {})}, files=files
    )
    return time.monotonic() - started, response


def address_file(rows=IMPORT_ROWS):
    lines = ["name,email"] + [f"Bench {n},bench-import-{n}@example.org" for n in range(rows)]
    return "\n".join(lines).encode()


def forget_queued_tasks(since):
    """The tasks the requests queued: no worker runs in the benchmark."""
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 (loadable only after setup_django)

    DBTaskResult.objects.filter(enqueued_at__gte=since).delete()


def measure_import_start(browser, cohort):
    from cohorts.models import TrainerJob  # noqa: PLC0415 (loadable only after setup_django)

    since = datetime.datetime.now(datetime.UTC)
    seconds, response = timed_post(
        browser,
        f"/en/trainer/cohorts/{cohort.pk}/members/",
        data={"action": "csv"},
        files={"csv-file": ("intake.csv", address_file(), "text/csv")},
    )
    TrainerJob.objects.filter(cohort=cohort, created_at__gte=since).delete()
    return seconds, response.status_code, 302


def measure_due_date_change(browser, cohort):
    from cohorts.models import Assignment  # noqa: PLC0415 (loadable only after setup_django)

    assignment = cohort.assignments.order_by("pk").first()
    previous = assignment.due_date
    moved = max(previous, datetime.date.today()) + datetime.timedelta(days=7)
    seconds, response = timed_post(
        browser,
        f"/en/trainer/cohorts/{cohort.pk}/assignments/{assignment.pk}/due-date/",
        data={"day": moved.day, "month": moved.month, "year": moved.year},
    )
    Assignment.objects.filter(pk=assignment.pk).update(due_date=previous)
    return seconds, response.status_code, 302


def measure_learner_removal(browser, cohort):
    from cohorts.models import CohortMember  # noqa: PLC0415 (loadable only after setup_django)

    member = CohortMember.objects.filter(cohort=cohort).order_by("-pk").first()
    seconds, response = timed_post(
        browser, f"/en/trainer/cohorts/{cohort.pk}/learners/{member.user_id}/remove/"
    )
    # Back in the cohort, as before (enrolments are kept on removal).
    CohortMember.objects.get_or_create(cohort=cohort, user_id=member.user_id)
    return seconds, response.status_code, 302


def measure_nudge(browser, cohort):
    from cohorts.models import AssignmentNudge  # noqa: PLC0415 (loadable only after setup_django)

    assignment = cohort.assignments.order_by("pk").first()
    # A trainer may nudge once a day: today's nudge of an earlier run goes first.
    AssignmentNudge.objects.filter(assignment=assignment).delete()
    seconds, response = timed_post(browser, f"/en/trainer/assignments/{assignment.pk}/nudge/")
    AssignmentNudge.objects.filter(assignment=assignment).delete()
    return seconds, response.status_code, 302


OPERATIONS = {
    f"start importing {IMPORT_ROWS:,} addresses": measure_import_start,
    "change a due date": measure_due_date_change,
    "remove a learner": measure_learner_removal,
    "nudge the learners": measure_nudge,
}


def measure_operations(trainer, cohort_id):
    """{operation: {seconds, status, within_limit}} for the cohort's trainer."""
    from cohorts.models import Cohort  # noqa: PLC0415 (loadable only after setup_django)

    cohort = Cohort.objects.get(pk=cohort_id)
    since = datetime.datetime.now(datetime.UTC)
    results = {}
    try:
        for name, measure in OPERATIONS.items():
            seconds, status, expected = measure(trainer, cohort)
            if status != expected:
                raise SystemExit(f"{name}: answered {status}, not {expected}")
            results[name] = {
                "seconds": round(seconds, 3),
                "status": status,
                "within_limit": seconds <= TIME_LIMIT,
            }
    finally:
        forget_queued_tasks(since)
    return {"learners": cohort.memberships.count(), "operations": results}


def print_result(result):
    print(f"Trainers' operations on the cohort of {result['learners']:,} learners:")
    for name, figures in result["operations"].items():
        verdict = "" if figures["within_limit"] else f"  OVER {TIME_LIMIT:.0f} s"
        print(f"  {name}: {figures['seconds']:.2f} s{verdict}")


def dry_run():
    """Check the file and the printing, with no site or database."""
    assert address_file(3).decode().splitlines()[1:] == [
        "Bench 0,bench-import-0@example.org",
        "Bench 1,bench-import-1@example.org",
        "Bench 2,bench-import-2@example.org",
    ]
    print_result(
        {
            "learners": 10_000,
            "operations": {
                name: {"seconds": 0.1 * n, "status": 302, "within_limit": 0.1 * n <= TIME_LIMIT}
                for n, name in enumerate(OPERATIONS, start=1)
            },
        }
    )


if __name__ == "__main__":
    if "--dry-run" in sys.argv:
        dry_run()
    else:
        raise SystemExit("Run through benchmarks/run.py, which builds the site and signs in.")
