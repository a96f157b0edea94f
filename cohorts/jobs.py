"""Trainers' background jobs: assigning a course to a whole cohort, importing
addresses, and the XLSX and certificate ZIP exports.

The request saves a TrainerJob and queues run_trainer_job once it commits; the worker
does the work in batches, saving each batch's work and the job's progress in one
transaction. A worker stopped half-way (killed, or a failure) leaves the job at its last
saved batch; running the job again carries on from there, and nothing is done twice.
"""

import datetime
import logging

from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.site_urls import absolute_url

from . import dashboard, exports
from .assigning import (
    announce,
    assignment_for,
    cohort_member_ids,
    enrol_in_bulk,
    live_prerequisites,
)
from .email_text import one_line
from .invitations import import_addresses, normalised
from .models import Assignment, TrainerJob

# Learners enrolled per batch (a fixed number of queries each), and addresses imported.
BATCH_SIZE = 500
IMPORT_BATCH_SIZE = 200
FILE_TYPES = {
    TrainerJob.Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    TrainerJob.Kind.ZIP: "application/zip",
}

logger = logging.getLogger(__name__)


def new_job(kind, cohort, requested_by, params, total=0):
    """Save a job and queue it once the request's transaction commits."""
    job = TrainerJob.objects.create(
        kind=kind,
        cohort=cohort,
        organisation=cohort.organisation,
        requested_by=requested_by,
        params=params,
        total=total,
        expires_at=timezone.now() + datetime.timedelta(days=settings.TRAINER_JOB_KEEP_DAYS),
    )
    enqueue_after_commit(job)
    return job


def enqueue_after_commit(job):
    # The worker must find the job saved.
    transaction.on_commit(lambda: run_trainer_job.enqueue(job.pk))


def start_assignment(cohort, courses, due_date, recertify_months, trainer, late_joiners=None):
    """The job that enrols the cohort in these courses. A job already waiting or running
    for the same assignments is reused, so two trainers pressing Assign at once start
    one job (the assignments themselves are made once, cohorts.assigning)."""
    with transaction.atomic():
        ids = sorted(
            assignment_for(
                course,
                due_date,
                cohort.organisation,
                trainer,
                cohort,
                recertify_months,
                late_joiners,
            ).pk
            for course in courses
        )
        running = (
            TrainerJob.objects.select_for_update()
            .filter(
                kind=TrainerJob.Kind.ASSIGN,
                cohort=cohort,
                params__assignments=ids,
                status__in=[TrainerJob.Status.QUEUED, TrainerJob.Status.RUNNING],
            )
            .first()
        )
        if running is not None:
            return running
        members = cohort.memberships.count()
        return new_job(
            TrainerJob.Kind.ASSIGN,
            cohort,
            trainer,
            {"assignments": ids},
            total=members * len(ids),
        )


@task()
def run_trainer_job(job_id):
    run_job(job_id)


def run_job(job_id):
    """Run (or carry on with) a job; a finished or deleted one is left alone."""
    job = (
        TrainerJob.objects.select_related("cohort__organisation", "requested_by")
        .filter(pk=job_id)
        .first()
    )
    if job is None or job.status == TrainerJob.Status.DONE:
        return
    TrainerJob.objects.filter(pk=job.pk).update(
        status=TrainerJob.Status.RUNNING, started_at=job.started_at or timezone.now(), error=""
    )
    try:
        RUNNERS[job.kind](job)
    except Exception:
        logger.exception("Trainer job %s failed", job.pk)
        with in_language_of(job.requested_by):
            message = _(
                "Something went wrong part of the way through. The work done so far is "
                "kept; start it again to finish the rest."
            )
        TrainerJob.objects.filter(pk=job.pk).update(
            status=TrainerJob.Status.FAILED, error=message, finished_at=timezone.now()
        )
        raise
    finish(job)


def in_language_of(user):
    return translation.override(getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE)


def save_progress(job, done, **fields):
    TrainerJob.objects.filter(pk=job.pk).update(done=F("done") + done, **fields)


def run_assignment(job):
    cursor = job.cursor or {"index": 0, "after": 0}
    assignments = Assignment.objects.select_related("course").in_bulk(job.params["assignments"])
    for index, assignment_id in enumerate(job.params["assignments"]):
        if index < cursor["index"]:
            continue
        after = cursor["after"] if index == cursor["index"] else 0
        assignment = assignments.get(assignment_id)
        if assignment is None:  # deleted meanwhile: nobody is to be enrolled for it
            continue
        course = assignment.course
        prerequisites = live_prerequisites(course)
        while ids := cohort_member_ids(job.cohort, after, BATCH_SIZE):
            after = ids[-1]
            with transaction.atomic():
                enrol_in_bulk(ids, course, prerequisites)
                save_progress(job, len(ids), cursor={"index": index, "after": after})
        cursor = {"index": index + 1, "after": 0}
        save_progress(job, 0, cursor=cursor)
    # Everyone is enrolled: tell them. This runs again whenever the job is run again
    # before it is marked finished, which is harmless: each learner gets one notice per
    # assignment however often the notices task is asked.
    with transaction.atomic():
        for assignment in assignments.values():
            announce(assignment)


def run_import(job):
    """Import a batch at a time; a row repeating an address of any row before it, in
    this batch or an earlier one, is reported as listed already."""
    addresses = job.params["addresses"]
    lines = job.params.get("lines") or list(range(1, len(addresses) + 1))
    rows = list(job.summary.get("rows", []))
    earlier = {normalised(address) for address in addresses[: job.done]}
    for start in range(job.done, len(addresses), IMPORT_BATCH_SIZE):
        batch = addresses[start : start + IMPORT_BATCH_SIZE]
        with transaction.atomic():
            results = import_addresses(
                job.cohort,
                batch,
                job.requested_by,
                lines=lines[start : start + IMPORT_BATCH_SIZE],
                earlier=earlier,
            )
            rows += [[result.row, result.email, result.outcome] for result in results]
            save_progress(job, len(batch), summary={"rows": rows})
        earlier.update(normalised(address) for address in batch)


def run_export(job):
    assignment = (
        Assignment.objects.select_related("course")
        .filter(pk=job.params["assignment"], cohort=job.cohort)
        .first()
    )
    if assignment is None:
        raise LookupError("The assignment was deleted")
    rows = dashboard.learner_rows(assignment)
    total = rows.count()
    TrainerJob.objects.filter(pk=job.pk).update(total=total)
    with in_language_of(job.requested_by):
        if job.kind == TrainerJob.Kind.XLSX:
            handle = exports.xlsx_file(rows, assignment.course, job.cohort.name)
        else:
            handle = exports.certificates_zip(job.cohort, assignment.course)
    with handle:
        keep_file(job, handle)
    TrainerJob.objects.filter(pk=job.pk).update(done=total)


def keep_file(job, handle):
    """Keep the file in private storage; a file a killed run left half-written at the
    same name is replaced."""
    extension = job.params["filename"].rsplit(".", 1)[-1]
    field = job.result_file
    name = field.field.generate_filename(job, f"{job.pk}.{extension}")
    if field.storage.exists(name):
        field.storage.delete(name)
    handle.seek(0)
    field.save(name.rsplit("/", 1)[-1], File(handle), save=False)
    TrainerJob.objects.filter(pk=job.pk).update(
        result_file=field.name, result_name=job.params["filename"]
    )


RUNNERS = {
    TrainerJob.Kind.ASSIGN: run_assignment,
    TrainerJob.Kind.IMPORT: run_import,
    TrainerJob.Kind.XLSX: run_export,
    TrainerJob.Kind.ZIP: run_export,
}


def finish(job):
    now = timezone.now()
    # Learners who joined while the job ran were enrolled too (more done than planned);
    # ones who left were not (fewer): either way the finished job has done it all.
    everything = Greatest("total", "done")
    TrainerJob.objects.filter(pk=job.pk).update(
        status=TrainerJob.Status.DONE, finished_at=now, total=everything, done=everything
    )
    job.refresh_from_db()
    if job.result_file and job.result_file.size >= settings.TRAINER_JOB_EMAIL_FROM_BYTES:
        email_link(job)


def email_link(job):
    """Tell the trainer a large file is ready: once, even when the job is run again."""
    trainer = job.requested_by
    if trainer is None or not trainer.email:
        return
    claimed = TrainerJob.objects.filter(pk=job.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return
    with in_language_of(trainer):
        context = {
            "job": job,
            "kind": job.get_kind_display(),
            "cohort_name": one_line(job.cohort.name),
            "url": absolute_url(reverse("cohorts:job", args=[job.pk])),
            "expires_at": job.expires_at,
        }
        subject = render_to_string("cohorts/email/job_ready_subject.txt", context)
        body = render_to_string("cohorts/email/job_ready_body.txt", context)
    send_mail(one_line(subject), body, None, [trainer.email])


def delete_expired_jobs(now=None):
    """Delete jobs kept past their time, and their files. Returns how many."""
    expired = TrainerJob.objects.filter(expires_at__lte=now or timezone.now())
    count = 0
    for job in expired.iterator():
        if job.result_file:
            job.result_file.delete(save=False)
        job.delete()
        count += 1
    return count


@task()
def delete_expired_trainer_jobs():
    """Daily."""
    return delete_expired_jobs()
