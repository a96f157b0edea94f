"""Peak extra memory of streaming the organisation-wide compliance export.

    .venv/bin/python benchmarks/compliance_export.py [--courses 5] [--ceiling-mib 50]

Runs after `make bench` has built the recognise_bench database (10,000 learners, all in
the first organisation's cohort "All learners"). Inside a transaction that is rolled
back, the cohort is given assignments until it has --courses of them (10,000 x 5 rows),
then the CSV and the XLSX of the compliance table are written in full, as a worker
streams them, while tracemalloc follows the Python memory they take on top of what
was in use before. The resident set's growth (getrusage) is printed beside it. Exits
with status 1 when either export passes the ceiling.
"""

import argparse
import datetime
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024


def resident_peak_mib():
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(write):
    """Run write() (which returns the rows written) and the peak memory it added."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    before, _peak = tracemalloc.get_traced_memory()
    resident_before = resident_peak_mib()
    started = time.monotonic()
    rows = write()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": rows,
        "peak_extra_mib": round((peak - before) / MIB, 1),
        "resident_peak_growth_mib": round(resident_peak_mib() - resident_before, 1),
        "seconds": round(time.monotonic() - started, 1),
    }


def export_memory(organisations, today):
    """Peak extra memory of writing the CSV and the XLSX of these organisations' rows."""
    from reports import compliance, exports  # noqa: PLC0415 (loadable only after setup)

    def rows():
        return compliance.compliance_rows(organisations, today)

    due_dates = compliance.own_due_dates(organisations)

    def write_csv():
        return sum(1 for _line in exports.csv_lines(rows(), due_dates)) - 2  # BOM, headings

    def write_xlsx():
        with exports.xlsx_file(rows(), due_dates) as handle:
            handle.seek(0, 2)
        return rows().count()

    return {"csv": measure(write_csv), "xlsx": measure(write_xlsx)}


def assign_up_to(cohort, count, today):
    """Give the cohort more assignments (of courses it lacks) until it has `count`."""
    from cohorts.models import Assignment  # noqa: PLC0415 (loadable only after setup)
    from courses.models import CoursePage  # noqa: PLC0415 (loadable only after setup)

    have = set(cohort.assignments.values_list("course_id", flat=True))
    wanted = count - len(have)
    if wanted <= 0:
        return
    courses = CoursePage.objects.exclude(pk__in=have).order_by("pk")[:wanted]
    Assignment.objects.bulk_create(
        Assignment(
            cohort=cohort,
            organisation_id=cohort.organisation_id,
            course=course,
            due_date=today + datetime.timedelta(days=30),
        )
        for course in courses
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=5, help="assignments per learner")
    parser.add_argument("--ceiling-mib", type=float, default=50.0)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks.run import bench_environment, setup_django  # noqa: PLC0415

    setup_django(bench_environment())
    from django.db import transaction  # noqa: PLC0415 (loadable only after setup)
    from django.utils import timezone  # noqa: PLC0415 (loadable only after setup)

    from cohorts.models import Cohort  # noqa: PLC0415 (loadable only after setup)

    today = timezone.localdate()
    with transaction.atomic():
        cohort = Cohort.objects.filter(name="All learners").order_by("pk").first()
        if cohort is None:
            raise SystemExit("No benchmark data: run `make bench` first.")
        assign_up_to(cohort, args.courses, today)
        results = export_memory([cohort.organisation_id], today)
        transaction.set_rollback(True)
    over = False
    for name, result in results.items():
        print(
            f"{name.upper():<5} {result['rows']:>7,} rows: peak extra memory "
            f"{result['peak_extra_mib']:.1f} MiB (resident peak +"
            f"{result['resident_peak_growth_mib']:.1f} MiB), {result['seconds']:.1f} s"
        )
        over = over or result["peak_extra_mib"] > args.ceiling_mib
    if over:
        print(f"Over the ceiling of {args.ceiling_mib:.0f} MiB")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
