"""A trainer's background job as they follow it: progress while it runs, then the file
to download or the import report."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .access import cohorts_for
from .invitations import RowResult
from .jobs import FILE_TYPES
from .models import TrainerJob
from .views import say_if_over_the_limit

# Seconds between refreshes of a running job's page (and of its figures, with script).
REFRESH_SECONDS = 5


def visible_job(user, job_id):
    """The job, for the trainer who asked and the trainers of the cohort's organisation;
    None for other trainers, as for a job deleted since (both see the same page). Anyone
    who is not a trainer is refused, as everywhere in the trainers' area."""
    return (
        TrainerJob.objects.filter(pk=job_id, cohort__in=cohorts_for(user))
        .select_related("cohort__organisation", "requested_by")
        .first()
    )


def job_gone(request):
    return render(request, "cohorts/job_gone.html", status=404)


def progress_text(job):
    if job.status == TrainerJob.Status.QUEUED:
        return _("Waiting to start.")
    if job.status == TrainerJob.Status.FAILED:
        return _("Stopped after %(done)s of %(total)s.") % {"done": job.done, "total": job.total}
    if job.status == TrainerJob.Status.DONE:
        return _("Finished: %(done)s of %(total)s.") % {"done": job.done, "total": job.total}
    return _("%(done)s of %(total)s done (%(percent)s%%).") % {
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
    }


@login_required
@require_GET
def job_status(request, job_id):
    job = visible_job(request.user, job_id)
    if job is None:
        return job_gone(request)
    results = [
        RowResult(row, email, outcome) for row, email, outcome in job.summary.get("rows", [])
    ]
    if job.status == TrainerJob.Status.DONE:
        say_if_over_the_limit(request, job.cohort, results)
    return render(
        request,
        "cohorts/job.html",
        {
            "job": job,
            "cohort": job.cohort,
            "progress_text": progress_text(job),
            "results": results,
            "failed_count": sum(result.failed for result in results),
            "refresh_seconds": REFRESH_SECONDS,
        },
    )


@login_required
@require_GET
def job_progress(request, job_id):
    """The figures the page's script shows without reloading."""
    job = visible_job(request.user, job_id)
    if job is None:
        return JsonResponse({"error": _("This job is no longer available.")}, status=404)
    return JsonResponse(
        {
            "status": job.status,
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "finished": job.is_finished,
            "text": progress_text(job),
        }
    )


@login_required
@require_GET
def job_download(request, job_id):
    job = visible_job(request.user, job_id)
    if job is None or job.status != TrainerJob.Status.DONE or not job.result_file:
        return job_gone(request)
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError:
        return job_gone(request)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.result_name,
        content_type=FILE_TYPES[job.kind],
    )
