"""Importing a force's address file: thousands of rows with mistakes in them go through
the import job; every row is accounted for in the report by its line, the good ones are
imported once, and learners are told of their courses once, however the job runs."""

import codecs
import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from cohorts import assigning, jobs
from cohorts.assigning import assign
from cohorts.invitations import import_addresses
from cohorts.models import AssignmentNotice, CohortMember, EmailInvitation, TrainerJob
from tests.factories import UserFactory, make_course
from tests.trainer_jobs import job_of

pytestmark = pytest.mark.django_db

DOMAIN = "force-x.police.uk"
FORMULAS = ['=HYPERLINK("http://evil","click")', "+44 20 7946 0000", "-2+3", "@SUM(A1:A2)"]


def learners_of(organisation, count, prefix="officer"):
    """Learners of the organisation, saved in bulk (the factory would take most of the
    test's time at these numbers)."""
    start = User.objects.count()
    User.objects.bulk_create(
        User(email=f"{prefix}{start + number}@{DOMAIN}", display_name=f"Officer {number}")
        for number in range(count)
    )
    users = list(User.objects.filter(email__startswith=prefix).order_by("pk"))
    Membership.objects.bulk_create(
        Membership(user=user, organisation=organisation) for user in users
    )
    return users


def upload(text, encoding="utf-8", name="intake.csv"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def post_file(force, cohort, file):
    return force.client.post(
        reverse("cohorts:members", args=[cohort.pk]),
        {"action": "csv", "csv-file": file},
    )


def report(job):
    job.refresh_from_db()
    return {line: (email, outcome) for line, email, outcome in job.summary["rows"]}


@pytest.fixture
def verified_force(force_x):
    force_x.organisation.email_domains = DOMAIN
    force_x.organisation.save()
    return force_x


def test_a_ten_thousand_row_file_with_mistakes_is_imported_once_and_every_row_reported(
    verified_force,
):
    force = verified_force
    cohort = force.cohort()
    officers = learners_of(force.organisation, 9_900)
    lines = ["Name,Email"]
    for officer in officers:
        lines.append(f"{officer.display_name},{officer.email}")
    # The same people again, in other letters and with spaces around.
    repeated = {len(lines) + 1 + number: officers[number] for number in range(40)}
    lines += [f"Again,  {officer.email.upper()}  " for officer in repeated.values()]
    bad = {}
    for text in [*FORMULAS, "not an address", "two@@example.org", "", "a@b"]:
        bad[len(lines) + 1] = text
        quoted = text.replace('"', '""')
        lines.append(f'Mistake,"{quoted}"')
    count = 10_001 - len(lines)
    newcomers = {len(lines) + 1 + number: f"new{number}@{DOMAIN}" for number in range(count)}
    lines += [f"New,{email}" for email in newcomers.values()]
    assert len(lines) == 10_001

    job = job_of(post_file(force, cohort, upload("\r\n".join(lines))))
    page = force.client.get(reverse("cohorts:job", args=[job.pk])).content.decode()
    rows = report(job)

    assert job.status == TrainerJob.Status.DONE
    assert sorted(rows) == list(range(2, 10_002))  # every data row, by its line
    assert CohortMember.objects.filter(cohort=cohort).count() == 9_900
    assert all(rows[n + 2] == (officer.email, "added") for n, officer in enumerate(officers))
    assert all(rows[line] == (officer.email, "duplicate") for line, officer in repeated.items())
    assert all(rows[line] == (text, "invalid") for line, text in bad.items())
    assert all(rows[line] == (email, "invited") for line, email in newcomers.items())
    assert EmailInvitation.objects.filter(cohort=cohort).count() == len(newcomers)
    # The report shows what was typed as text: nothing in it is run or linked.
    assert "=HYPERLINK(&quot;http://evil&quot;,&quot;click&quot;)" in page
    assert '<a href="http://evil"' not in page


def test_each_row_of_the_report_is_one_outcome(verified_force):
    force = verified_force
    cohort = force.cohort()
    (officer,) = learners_of(force.organisation, 1)
    text = f"email\n{officer.email}\n {officer.email.upper()} \nnonsense\n=1+1\n"
    job = job_of(post_file(force, cohort, upload(text)))
    assert report(job) == {
        2: (officer.email, "added"),
        3: (officer.email, "duplicate"),
        4: ("nonsense", "invalid"),
        5: ("=1+1", "invalid"),
    }
    page = force.client.get(reverse("cohorts:job", args=[job.pk])).content.decode()
    assert "Listed already: imported once" in page and "Not a valid email address" in page


def test_a_formula_like_address_is_neutralised_in_the_export(verified_force, course):
    force = verified_force
    cohort = force.cohort()
    learner = UserFactory(email=f"=1+1@{DOMAIN}", role="Learner", organisation=force.organisation)
    assign(
        course,
        timezone.localdate() + datetime.timedelta(days=9),
        force.organisation,
        force.trainer,
        cohort=cohort,
    )
    job = job_of(post_file(force, cohort, upload(f"email\n{learner.email}\n")))
    assert report(job) == {2: (learner.email, "added")}
    export = force.client.get(reverse("cohorts:export_csv", args=[cohort.pk]))
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert f"'={learner.email[1:]}" in text
    assert f",{learner.email}," not in text


@pytest.mark.parametrize(
    "raw",
    [
        "email\nzoë@{d}\nofficer@{d}\n".encode("cp1252"),
        "email\nzoë@{d}\nofficer@{d}\n".encode("latin-1"),
        codecs.BOM_UTF8 + "email\nzoë@{d}\nofficer@{d}\n".encode(),
        "Name\tEmail\nZoë\tzoë@{d}\nOfficer\tofficer@{d}\n".encode("utf-16"),
        "Name;Email\nZoë;zoë@{d}\nOfficer;officer@{d}\n".encode("cp1252"),
    ],
    ids=["cp1252", "latin-1", "utf-8-bom", "excel-unicode-text", "semicolons"],
)
def test_files_in_other_encodings_are_read(verified_force, raw):
    force = verified_force
    cohort = force.cohort()
    raw = raw.replace(b"{d}", DOMAIN.encode()).replace(
        "{d}".encode("utf-16-le"), DOMAIN.encode("utf-16-le")
    )
    file = SimpleUploadedFile("intake.csv", raw, content_type="text/csv")
    job = job_of(post_file(force, cohort, file))
    assert report(job) == {
        2: (f"zoë@{DOMAIN}", "invalid"),
        3: (f"officer@{DOMAIN}", "invited"),
    }


@pytest.mark.parametrize(
    "raw",
    [
        "email\nofficer@example.org\n".encode("utf-16-le"),  # no byte order mark
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",  # a workbook, not a CSV
        codecs.BOM_UTF16_LE + b"\x00\xd8",  # says UTF-16, is not
    ],
    ids=["utf-16-without-mark", "xlsx", "broken-utf-16"],
)
def test_a_file_that_is_not_text_is_refused_with_a_clear_message(force_x, raw):
    cohort = force_x.cohort()
    file = SimpleUploadedFile("intake.csv", raw, content_type="text/csv")
    response = force_x.client.post(
        reverse("cohorts:members", args=[cohort.pk]),
        {"action": "csv", "csv-file": file},
        follow=True,
    )
    assert response.status_code == 200
    assert "CSV UTF-8" in response.content.decode()
    assert not TrainerJob.objects.exists()


def test_starting_an_import_does_the_same_work_for_ten_rows_as_for_ten_thousand(
    force_x, monkeypatch
):
    """The request saves the addresses and the job; the worker does the rest."""
    monkeypatch.setattr(jobs, "enqueue_after_commit", lambda job: None)
    cohort = force_x.cohort()
    counts = []
    # The first request warms the caches a trainer's session keeps.
    for size in (1, 10, 10_000):
        text = "email\n" + "\n".join(f"person{n}@example.org" for n in range(size))
        with CaptureQueriesContext(connection) as queries:
            job = job_of(post_file(force_x, cohort, upload(text)))
        counts.append(len(queries))
        assert job.total == size and job.status == TrainerJob.Status.QUEUED
    assert counts[1] == counts[2]
    assert not EmailInvitation.objects.exists()


# Adding learners in batches -----------------------------------------------------------


def test_importing_adds_a_batch_in_the_same_number_of_queries_whatever_its_size(
    verified_force, course
):
    force = verified_force
    police = make_course("Police course", prerequisites=[course], lessons=1)
    counts = []
    # The first import reads once what the process keeps (the courses' pages). The
    # sizes stay under what SQLite takes in one INSERT (it splits longer ones).
    for size in (4, 12, 36):
        cohort = force.cohort(name=f"Intake of {size}")
        for target in (course, police):
            assign(target, timezone.localdate(), force.organisation, force.trainer, cohort=cohort)
        people = learners_of(force.organisation, size, prefix=f"size{size}-")
        # Half belong to the organisation already; half are new to it.
        Membership.objects.filter(user__in=people[::2]).delete()
        addresses = [person.email for person in people]
        with CaptureQueriesContext(connection) as queries:
            results = import_addresses(cohort, addresses, force.trainer)
        counts.append(len(queries))
        assert {result.outcome for result in results} == {"added"}
        assert cohort.members.count() == size
    assert counts[1] == counts[2]


def test_notices_are_asked_for_once_per_batch_and_sent_once_even_when_run_again(
    verified_force, course, django_capture_on_commit_callbacks, monkeypatch
):
    force = verified_force
    cohort = force.cohort()
    assign(course, timezone.localdate(), force.organisation, force.trainer, cohort=cohort)
    people = learners_of(force.organisation, 30)
    asked = []
    real = assigning.send_assignment_notices

    class Counting:
        def enqueue(self, *args):
            asked.append(args)
            return real.enqueue(*args)

    monkeypatch.setattr(assigning, "send_assignment_notices", Counting())
    monkeypatch.setattr(jobs, "IMPORT_BATCH_SIZE", 10)
    mail.outbox.clear()
    text = "email\n" + "\n".join(person.email for person in people)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(post_file(force, cohort, upload(text)))
    assert len(asked) == 3  # one per batch of ten, for the one assignment
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people)

    # The whole job again (as after a worker stopped before marking it finished).
    TrainerJob.objects.filter(pk=job.pk).update(status="running", done=0, summary={})
    with django_capture_on_commit_callbacks(execute=True):
        jobs.run_job(job.pk)
    assert len(mail.outbox) == 30
    assert AssignmentNotice.objects.count() == 30
    assert set(report(job).values()) == {(p.email, "already_member") for p in people}
