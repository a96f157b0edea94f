"""Filling a new cohort from a learning platform course's roster of 10,000 learners, none
of whom has an account yet: from the trainer's click to the import done, with the
queries the import ran.

The platform is the emulator the LTI tests use (tests/lti/platform.py), on a local
port, serving the roster in pages of PAGE_SIZE members as Canvas does at most. It is
registered for the benchmark trainer's organisation; the trainer's browser posts the
form to the running site, which queues the import and answers at once; the import is
then run here, as the worker runs it, with its queries counted. Everything the
measurement made (registration, cohort, accounts) is deleted afterwards.

    measure_roster_import(trainer, cohort_id)      (from benchmarks/run.py)
    .venv/bin/python benchmarks/roster_import.py --dry-run
"""

import datetime
import re
import sys
import time
from pathlib import Path

# Run as a script, the project (and the emulator in its tests) must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.assignment import QueryCounter  # noqa: E402 (after the path above)

ROSTER_SIZE = 10_000
PAGE_SIZE = 50
IMPORT_PAGE = re.compile(r"/trainer/roster-imports/([0-9a-f-]{36})/$")


def roster(size=ROSTER_SIZE):
    from tests.lti.platform import member  # noqa: PLC0415 (the emulator's member shape)

    return [
        member(f"bench-roster-{n}", f"bench-roster-{n}@example.org", f"Roster Learner {n}")
        for n in range(size)
    ]


def register(platform, organisation):
    """The platform registered as an administrator does it, and the platform course
    a launch would have made known."""
    from lti_tool.models import LtiContext, LtiDeployment  # noqa: PLC0415 (loadable only after setup_django)

    from lti.keys import public_key_set  # noqa: PLC0415 (loadable only after setup_django)
    from lti.viewsets import PlatformRegistrationForm  # noqa: PLC0415 (loadable only after setup_django)

    form = PlatformRegistrationForm(data=platform.registration_data(organisation))
    if not form.is_valid():
        raise SystemExit(f"The benchmark platform could not be registered: {form.errors}")
    registered = form.save()
    platform.tool_jwks = public_key_set()
    deployment = LtiDeployment.objects.get(registration=registered.registration)
    return registered, LtiContext.objects.create(
        deployment=deployment,
        id_on_platform=platform.context_id,
        title="Benchmark platform course",
        memberships_url=platform.memberships_url,
    )


def undo(registered, cohort, started_at):
    from django.db import transaction  # noqa: PLC0415 (loadable only after setup_django)
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 (loadable only after setup_django)
    from lti_tool.models import LtiUser  # noqa: PLC0415 (loadable only after setup_django)

    from accounts.models import User  # noqa: PLC0415 (loadable only after setup_django)
    from audit.models import AuditEvent  # noqa: PLC0415 (loadable only after setup_django)

    with transaction.atomic():
        made = LtiUser.objects.filter(registration=registered.registration).values("auth_user")
        User.objects.filter(pk__in=made, date_joined__gte=started_at).delete()
        cohort.delete()
        registered.registration.delete()
        AuditEvent.objects.filter(timestamp__gte=started_at).delete()
        DBTaskResult.objects.filter(enqueued_at__gte=started_at).delete()


def measure_roster_import(trainer, cohort_id):
    """Seconds from posting the form to the import done, and the import's queries."""
    from django.db import connection  # noqa: PLC0415 (loadable only after setup_django)
    from django.utils import timezone  # noqa: PLC0415 (loadable only after setup_django)

    from cohorts.models import Cohort  # noqa: PLC0415 (loadable only after setup_django)
    from lti.models import RosterImport  # noqa: PLC0415 (loadable only after setup_django)
    from lti.tasks import import_roster  # noqa: PLC0415 (loadable only after setup_django)
    from tests.lti.platform import Platform  # noqa: PLC0415 (the LTI tests' platform emulator)

    organisation = Cohort.objects.get(pk=cohort_id).organisation
    platform = Platform().start()
    platform.members = roster()
    platform.page_size = PAGE_SIZE
    started_at = timezone.now()
    registered, context = register(platform, organisation)
    cohort = Cohort.objects.create(organisation=organisation, name="Benchmark roster intake")
    try:
        started = time.monotonic()
        response = trainer.post(
            f"/en/trainer/cohorts/{cohort.pk}/platform-roster/", {"context": str(context.pk)}
        )
        answered = time.monotonic() - started
        found = IMPORT_PAGE.search(response.headers.get("Location", ""))
        if response.status_code != 302 or not found:
            raise SystemExit(f"Filling from the roster answered {response.status_code}")
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            import_roster.call(found.group(1))
        seconds = time.monotonic() - started
        roster_import = RosterImport.objects.get(uuid=found.group(1))
        result = {
            "members": len(platform.members),
            "pages": platform.roster_pages_served,
            "request_seconds": round(answered, 3),
            "click_to_done_seconds": round(seconds, 2),
            "import_queries": counter.count,
            "added": roster_import.added,
            "status": roster_import.status,
        }
    finally:
        platform.stop()
        undo(registered, cohort, started_at - datetime.timedelta(seconds=1))
    return result


def print_result(result):
    print(
        f"Filling a cohort from a platform roster of {result['members']:,} learners "
        f"({result['pages']} pages): the request answered in "
        f"{result['request_seconds']:.2f} s, done {result['click_to_done_seconds']:.1f} s "
        f"after the click, {result['import_queries']} queries, {result['added']:,} added "
        f"({result['status']})"
    )


def dry_run():
    """Check the measurement's own arithmetic and printing, with no site or database."""
    assert len(roster(3)) == 3
    found = IMPORT_PAGE.search("/en/trainer/roster-imports/0b7e8c52-2f0a-4f57-9d43-6f1f2f5d2a10/")
    assert found.group(1).startswith("0b7e8c52")
    print_result(
        {
            "members": ROSTER_SIZE,
            "pages": ROSTER_SIZE // PAGE_SIZE,
            "request_seconds": 0.05,
            "click_to_done_seconds": 0.0,
            "import_queries": 0,
            "added": ROSTER_SIZE,
            "status": "done",
        }
    )


if __name__ == "__main__":
    if "--dry-run" in sys.argv:
        dry_run()
    else:
        raise SystemExit("Run through benchmarks/run.py, which builds the site and signs in.")
