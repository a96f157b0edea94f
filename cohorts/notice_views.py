"""Learners' calendar files and reminder opt-out links; trainers' nudges."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import Action
from audit.records import record

from .access import trainer_organisations
from .assigning import assignments_of
from .calendar_files import assignment_calendar, calendar_filename
from .due_dates import due_date_for
from .models import Assignment, AssignmentNudge
from .nudges import next_nudge_day, nudge_recipients, nudged_today
from .tasks import send_nudge
from .unsubscribing import user_for_token


@login_required
@require_GET
def assignment_calendar_file(request, assignment_id):
    """The due date of a course set for the signed-in learner, as a calendar file."""
    user = request.user
    assignment = assignments_of(user).filter(pk=assignment_id).select_related("course").first()
    if assignment is None:
        raise Http404
    due_date = due_date_for(assignment, assignment.joined_at)
    response = HttpResponse(
        assignment_calendar(assignment, user, due_date), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{calendar_filename(assignment, due_date)}"'
    )
    return response


def trainers_assignment(request, assignment_id):
    assignment = (
        Assignment.objects.filter(
            pk=assignment_id, organisation__in=trainer_organisations(request.user)
        )
        .select_related("course", "cohort", "user")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def assignment_page(assignment):
    if assignment.cohort_id:
        response = redirect("cohorts:dashboard", cohort_id=assignment.cohort_id)
        response["Location"] += f"?assignment={assignment.pk}"
        return response
    return redirect("cohorts:learner", learner_id=assignment.user_id)


def already_nudged_message(today):
    return _(
        "A nudge for this course was already sent today. You can send the next one on %(date)s."
    ) % {"date": date_format(next_nudge_day(today), "j F Y")}


@login_required
@require_http_methods(["GET", "POST"])
def nudge(request, assignment_id):
    """A trainer confirms, then sends, a reminder to the assignment's learners who have
    not started or are overdue."""
    assignment = trainers_assignment(request, assignment_id)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            with transaction.atomic():
                nudge = AssignmentNudge.objects.create(
                    assignment=assignment, sent_by=request.user, sent_on=today
                )
        except IntegrityError:
            messages.error(request, already_nudged_message(today))
            return assignment_page(assignment)
        count = nudge_recipients(assignment, today).count()
        record(
            Action.LEARNERS_NUDGED,
            f"Learners of “{assignment.course.title}” due {assignment.due_date} nudged "
            f"({count} not started or overdue)",
            request=request,
            data={"assignment_id": assignment.pk, "nudge_id": nudge.pk, "learners": count},
        )
        transaction.on_commit(lambda: send_nudge.enqueue(nudge.pk))
        messages.success(
            request,
            _("Your nudge is being sent to %(count)s learner(s).") % {"count": count},
        )
        return assignment_page(assignment)
    already = nudged_today(assignment, today)
    return render(
        request,
        "cohorts/nudge.html",
        {
            "assignment": assignment,
            "count": 0 if already else nudge_recipients(assignment, today).count(),
            "already_nudged": already_nudged_message(today) if already else "",
        },
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Turn reminder emails off from a link in one: a page to confirm (GET) and the change
    itself (POST, also as mail programs send it in one click). The signed token is the
    proof of whose reminders these are, so no sign-in or CSRF token is asked for."""
    user = user_for_token(token)
    if user is None:
        return render(request, "cohorts/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        if user.reminder_emails:
            user.reminder_emails = False
            user.save(update_fields=["reminder_emails"])
        return render(request, "cohorts/unsubscribe.html", {"done": True})
    return render(request, "cohorts/unsubscribe.html", {"token": token})
