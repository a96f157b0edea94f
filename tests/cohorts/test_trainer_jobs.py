"""Trainers' background jobs: assigning, importing and exporting for a large cohort run
in the worker, in batches, and the trainer follows them on the job's page."""

import datetime
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cohorts import jobs
from cohorts.jobs import run_job, start_assignment
from cohorts.models import Assignment, CohortMember, TrainerJob
from core import cache_versions
from courses.models import Enrolment
from learning.progress_summary import figures_version
from tests.concurrency import needs_postgresql, run_together
from tests.factories import UserFactory, make_course
from tests.query_budgets import counting_queries
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp
from tests.trainer_jobs import downloaded, job_of

pytestmark = pytest.mark.django_db

DUE = datetime.date.today() + datetime.timedelta(days=30)


def large_cohort(force, learners, name="Large intake"):
    """A cohort of many learners, saved in bulk (making each with the factory would take
    most of the test's time)."""
    cohort = force.cohort(name=name)
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(email=f"bulk{start + number}@example.org", display_name=f"Learner {number}")
        for number in range(learners)
    )
    if users[0].pk is None:  # databases that do not return the new ids
        users = User.objects.filter(email__startswith="bulk").order_by("pk")
    CohortMember.objects.bulk_create(CohortMember(cohort=cohort, user=user) for user in users)
    return cohort


@pytest.fixture
def police(course):
    """A course with a prerequisite, as trainers usually assign."""
    return make_course("Police course", prerequisites=[course], lessons=1)


def queued_assignment(force, cohort, courses, monkeypatch):
    """Start an assignment whose job waits in the queue, as it does before a worker
    takes it."""
    monkeypatch.setattr(jobs, "enqueue_after_commit", lambda job: None)
    return start_assignment(cohort, courses, DUE, None, force.trainer)


def enrolled(cohort, course):
    return Enrolment.objects.filter(course=course, user__cohort_memberships__cohort=cohort)


# The trainer's view -------------------------------------------------------------------


def test_assigning_lands_on_the_finished_job_page_with_the_cohort_enrolled(force_x, course, police):
    cohort = force_x.cohort(learners=3)
    response = force_x.client.post(
        reverse("cohorts:assign", args=[cohort.pk]),
        {"courses": [police.pk], "due_date": DUE.isoformat()},
    )
    job = job_of(response)
    page = force_x.client.get(response["Location"]).content.decode()
    assert "Finished: 3 of 3." in page
    assert '<progress id="job-progress-bar" max="3" value="3"' in page
    assert 'http-equiv="refresh"' not in page and "job-progress.js" not in page
    assert reverse("cohorts:dashboard", args=[cohort.pk]) in page
    assert job.status == TrainerJob.Status.DONE
    assert enrolled(cohort, police).count() == 3 and enrolled(cohort, course).count() == 3


def test_a_running_job_shows_its_progress_and_refreshes(force_x, course, monkeypatch):
    cohort = large_cohort(force_x, 4)
    job = queued_assignment(force_x, cohort, [course], monkeypatch)
    url = reverse("cohorts:job", args=[job.pk])
    queued = force_x.client.get(url).content.decode()
    assert "Waiting to start." in queued

    TrainerJob.objects.filter(pk=job.pk).update(status="running", done=2)
    response = force_x.client.get(url)
    page = response.content.decode()
    assert '<progress id="job-progress-bar" max="4" value="2"' in page
    assert "2 of 4 done (50%)." in page
    assert 'aria-live="polite"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'job-progress.js" defer nonce="{nonce}"' in page
    figures = force_x.client.get(reverse("cohorts:job_progress", args=[job.pk])).json()
    assert figures == {
        "status": "running",
        "done": 2,
        "total": 4,
        "percent": 50,
        "finished": False,
        "text": "2 of 4 done (50%).",
    }


def test_a_failed_job_says_what_to_do(force_x, course, monkeypatch):
    cohort = large_cohort(force_x, 3)
    job = queued_assignment(force_x, cohort, [course], monkeypatch)
    failing = mock.patch.object(jobs, "enrol_in_bulk", side_effect=RuntimeError("database gone"))
    with failing, pytest.raises(RuntimeError):
        run_job(job.pk)
    page = force_x.client.get(reverse("cohorts:job", args=[job.pk])).content.decode()
    assert "Failed" in page and "start it again to finish the rest" in page
    assert "database gone" not in page


def test_only_trainers_of_the_cohorts_organisation_see_a_job(force_x, force_y, client):
    cohort = force_x.cohort(learners=1)
    colleague = UserFactory(role="Trainer", organisation=force_x.organisation)
    assignment = Assignment.objects.create(
        cohort=cohort, course=make_course(), due_date=DUE, organisation=force_x.organisation
    )
    response = force_x.client.post(
        reverse("cohorts:export_xlsx", args=[cohort.pk]) + f"?assignment={assignment.pk}"
    )
    job = job_of(response)
    urls = [
        reverse(name, args=[job.pk])
        for name in ("cohorts:job", "cohorts:job_progress", "cohorts:job_download")
    ]
    for url in urls:
        assert force_x.client.get(url).status_code == 200, url
        assert force_y.client.get(url).status_code == 404, url
    anonymous = client.get(urls[0])
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    sign_in(client, cohort.members.get().email)
    for url in urls:
        assert client.get(url).status_code == 403, url
    colleague_client = Client()
    sign_in_with_totp(colleague_client, colleague, enrol_totp(colleague))
    assert colleague_client.get(urls[2]).status_code == 200


def test_a_deleted_job_says_so(force_x, course):
    cohort = force_x.cohort(learners=1)
    response = force_x.client.post(
        reverse("cohorts:assign", args=[cohort.pk]),
        {"courses": [course.pk], "due_date": DUE.isoformat()},
    )
    job = job_of(response)
    job.delete()
    gone = force_x.client.get(response["Location"])
    assert gone.status_code == 404
    assert "This job is no longer available" in gone.content.decode()


def test_a_missing_job_is_the_same_friendly_page_as_another_organisations(force_x, force_y):
    cohort = force_x.cohort(learners=1)
    assignment = Assignment.objects.create(
        cohort=cohort, course=make_course(), due_date=DUE, organisation=force_x.organisation
    )
    job = job_of(
        force_x.client.post(
            reverse("cohorts:export_xlsx", args=[cohort.pk]) + f"?assignment={assignment.pk}"
        )
    )
    for name in ("cohorts:job", "cohorts:job_download"):
        others = force_y.client.get(reverse(name, args=[job.pk]))
        missing = force_y.client.get(reverse(name, args=[job.pk + 1000]))
        assert others.status_code == missing.status_code == 404
        assert "This job is no longer available" in others.content.decode()
        assert "This job is no longer available" in missing.content.decode()


@pytest.mark.parametrize("name", ["cohorts:export_xlsx", "cohorts:certificates_zip"])
def test_an_export_is_asked_for_with_a_button_not_a_link(force_x, assigned_cohort, name):
    url = reverse(name, args=[assigned_cohort.pk])
    page = force_x.client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<form method="post"' in html and "csrfmiddlewaretoken" in html
    assert "Make the file" in html
    assert not TrainerJob.objects.exists()

    # A form posted from elsewhere, without the page's token, starts nothing.
    forged = Client(enforce_csrf_checks=True)
    forged.cookies = force_x.client.cookies
    assert forged.post(url).status_code == 403
    assert not TrainerJob.objects.exists()

    job = job_of(force_x.client.post(url))
    assert job.requested_by == force_x.trainer


def test_the_dashboard_links_to_the_export_pages(force_x, assigned_cohort):
    page = force_x.client.get(reverse("cohorts:dashboard", args=[assigned_cohort.pk]))
    html = page.content.decode()
    assert reverse("cohorts:export_xlsx", args=[assigned_cohort.pk]) in html
    assert not TrainerJob.objects.exists()


def test_exports_are_kept_for_a_set_time_then_deleted(force_x, assigned_cohort, settings):
    settings.TRAINER_JOB_KEEP_DAYS = 7
    cohort = assigned_cohort
    response = force_x.client.post(reverse("cohorts:export_xlsx", args=[cohort.pk]))
    assert downloaded(force_x.client, response)[:2] == b"PK"
    job = job_of(response)
    storage, name = job.result_file.storage, job.result_file.name
    assert storage.exists(name)

    call_command("delete_expired_trainer_jobs")
    assert TrainerJob.objects.filter(pk=job.pk).exists()
    later = timezone.now() + datetime.timedelta(days=7, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("delete_expired_trainer_jobs")
    assert not TrainerJob.objects.filter(pk=job.pk).exists()
    assert not storage.exists(name)
    download = force_x.client.get(reverse("cohorts:job_download", args=[job.pk]))
    assert download.status_code == 404
    assert "kept for a few days" in download.content.decode()


def test_a_large_file_is_emailed_to_the_trainer_once(force_x, assigned_cohort, settings):
    settings.TRAINER_JOB_EMAIL_FROM_BYTES = 1
    cohort = assigned_cohort
    mail.outbox.clear()
    job = job_of(force_x.client.post(reverse("cohorts:export_xlsx", args=[cohort.pk])))
    (message,) = mail.outbox
    assert message.to == [force_x.trainer.email]
    assert f"http://testserver/en/trainer/jobs/{job.pk}/" in message.body
    TrainerJob.objects.filter(pk=job.pk).update(status="running")
    run_job(job.pk)
    assert len(mail.outbox) == 1


def test_importing_addresses_reports_each_row(force_x):
    cohort = force_x.cohort()
    existing = UserFactory(
        email="known@example.org", role="Learner", organisation=force_x.organisation
    )
    with mock.patch.object(jobs, "IMPORT_BATCH_SIZE", 2):
        response = force_x.client.post(
            reverse("cohorts:members", args=[cohort.pk]),
            {
                "action": "addresses",
                "addresses-addresses": "known@example.org, new@example.org, nonsense",
            },
            follow=True,
        )
    assert [(r.row, r.email, r.outcome) for r in response.context["results"]] == [
        (1, "known@example.org", "added"),
        (2, "new@example.org", "invited"),
        (3, "nonsense", "invalid"),
    ]
    assert cohort.members.filter(pk=existing.pk).exists()
    assert "What happened to each address" in response.content.decode()


# Batches, resuming and doing nothing twice ----------------------------------------------


def assignment_queries(force, learners, course, monkeypatch, name):
    cohort = large_cohort(force, learners, name=name)
    job = queued_assignment(force, cohort, [course], monkeypatch)
    with counting_queries() as queries:
        run_job(job.pk)
    assert enrolled(cohort, course).count() == learners
    return len(queries)


def test_assigning_takes_a_fixed_number_of_queries_per_batch(force_x, police, monkeypatch):
    monkeypatch.setattr(jobs, "BATCH_SIZE", 25)
    small = assignment_queries(force_x, 30, police, monkeypatch, "Thirty")  # 2 batches
    large = assignment_queries(force_x, 120, police, monkeypatch, "Hundred and twenty")  # 5
    per_batch = (large - small) / 3
    assert per_batch <= 12, (small, large)
    assert large < 120, "queries must not grow with each learner"


def test_bulk_assignment_tells_the_course_figures_that_learners_joined(
    force_x, police, course, monkeypatch
):
    """Saving an enrolment starts a new version of its course's dashboard figures
    (learning.receivers); enrolling in bulk must do the same, or dashboards keep old
    counts."""
    cohort = large_cohort(force_x, 3)
    before = cache_versions.current(figures_version(police.path), figures_version(course.path))
    run_job(queued_assignment(force_x, cohort, [police], monkeypatch).pk)
    after = cache_versions.current(figures_version(police.path), figures_version(course.path))
    assert before[0] != after[0] and before[1] != after[1]


def test_a_learner_who_completed_the_prerequisite_is_enrolled_in_the_course_only(
    force_x, police, course, monkeypatch
):
    cohort = large_cohort(force_x, 2)
    done, other = cohort.members.order_by("pk")
    Enrolment.objects.create(user=done, course=course, completed_at=timezone.now())
    run_job(queued_assignment(force_x, cohort, [police], monkeypatch).pk)
    assert {
        (course_id, completed is None)
        for course_id, completed in done.enrolments.values_list("course_id", "completed_at")
    } == {(course.pk, False), (police.pk, True)}
    assert other.enrolments.count() == 2


def test_running_a_job_twice_enrols_nobody_twice(force_x, police, course, monkeypatch):
    monkeypatch.setattr(jobs, "BATCH_SIZE", 4)
    cohort = large_cohort(force_x, 10)
    job = queued_assignment(force_x, cohort, [police], monkeypatch)
    run_job(job.pk)
    # As if the worker ran it again from the start (its task queued twice).
    TrainerJob.objects.filter(pk=job.pk).update(status="queued", done=0, cursor={})
    run_job(job.pk)
    run_job(job.pk)
    assert enrolled(cohort, police).count() == 10 and enrolled(cohort, course).count() == 10
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 10, 10)


def test_a_job_stopped_after_its_first_batch_finishes_the_rest_when_run_again(
    force_x, police, monkeypatch
):
    monkeypatch.setattr(jobs, "BATCH_SIZE", 4)
    cohort = large_cohort(force_x, 10)
    job = queued_assignment(force_x, cohort, [police], monkeypatch)
    real = jobs.enrol_in_bulk
    calls = []

    def stopping_after_one_batch(*args):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("worker stopped")
        return real(*args)

    stopping = mock.patch.object(jobs, "enrol_in_bulk", stopping_after_one_batch)
    with stopping, pytest.raises(RuntimeError):
        run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.done) == ("failed", 4)
    assert enrolled(cohort, police).count() == 4

    with mock.patch.object(jobs, "enrol_in_bulk", wraps=real) as enrolling:
        run_job(job.pk)
    # It carried on from the fifth learner: two more batches, not three.
    assert enrolling.call_count == 2
    job.refresh_from_db()
    assert (job.status, job.done) == ("done", 10)
    assert enrolled(cohort, police).count() == 10


def test_two_trainers_assigning_the_same_course_make_one_assignment(force_x, police, course):
    cohort = force_x.cohort(learners=2)
    colleague = UserFactory(role="Trainer", organisation=force_x.organisation)
    first = start_assignment(cohort, [police], DUE, None, force_x.trainer)
    second = start_assignment(cohort, [police], DUE, None, colleague)
    assert Assignment.objects.filter(cohort=cohort).count() == 1
    assert first.params == second.params
    assert enrolled(cohort, police).count() == 2


def test_a_second_trainer_assigning_the_same_course_follows_the_job_already_waiting(
    force_x, police, monkeypatch
):
    cohort = large_cohort(force_x, 3)
    first = queued_assignment(force_x, cohort, [police], monkeypatch)
    colleague = UserFactory(role="Trainer", organisation=force_x.organisation)
    second = start_assignment(cohort, [police], DUE, None, colleague)
    assert second.pk == first.pk
    assert TrainerJob.objects.filter(cohort=cohort).count() == 1


def test_a_cohort_of_10000_learners_is_assigned_in_the_background(force_x, police, monkeypatch):
    cohort = large_cohort(force_x, 10_000)
    job = queued_assignment(force_x, cohort, [police], monkeypatch)
    started = time.monotonic()
    with counting_queries() as queries:
        run_job(job.pk)
    seconds = time.monotonic() - started
    assert enrolled(cohort, police).count() == 10_000
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 10_000, 10_000)
    # A few inserts of at most 500 rows for each batch of 500, not a query per learner.
    batches = 10_000 // jobs.BATCH_SIZE
    assert len(queries) <= 25 * batches, len(queries)
    assert seconds < 60, seconds


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_trainers_assigning_at_the_same_moment_enrol_the_cohort_once():
    from tests.cohorts.conftest import Force  # noqa: PLC0415 (a fixture's class)

    force = Force("Force Z")
    course = make_course("Core course", lessons=1)
    police = make_course("Police course", prerequisites=[course], lessons=1)
    cohort = large_cohort(force, 40)
    colleague = UserFactory(role="Trainer", organisation=force.organisation)

    def assign_as(trainer):
        return lambda: start_assignment(cohort, [police], DUE, None, trainer).pk

    started, errors = run_together(assign_as(force.trainer), assign_as(colleague), timeout=60)

    assert not errors
    assert Assignment.objects.filter(cohort=cohort).count() == 1
    for target in (police, course):
        rows = enrolled(cohort, target)
        assert rows.count() == 40
        assert rows.values("user").distinct().count() == 40
