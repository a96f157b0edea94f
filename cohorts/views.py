import datetime
import re
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.backends import user_version
from accounts.models import Membership, User
from audit.models import Action
from audit.records import record
from certificates.history import certificate_history
from core import cache_versions
from core.page_context import provided_context
from core.rate_limits import rate_limit
from learning.adjustments import adjustments_of, remove_adjustment, set_adjustment
from learning.models import TimeAdjustment
from learning.progress import learning_dashboard

from . import dashboard, exports
from .access import cohort_for, cohorts_for, learner_for, membership_for, trainer_organisations
from .address_files import numbered_addresses
from .adjusting import adjustable_assessments, in_own_cohorts
from .assigning import add_member, assign
from .forms import (
    AddressListForm,
    AssignForm,
    CohortForm,
    CSVImportForm,
    ExistingMembersForm,
    InvitationLinkForm,
    StaffNumberForm,
    TimeAdjustmentForm,
)
from .housekeeping_views import matching, refused_while_archived, search_text
from .import_limits import MAX_ADDRESSES, ImportRefused
from .invitations import (
    LinkRefused,
    RowResult,
    addresses_from_text,
    join_by_link,
    link_refusal,
)
from .jobs import new_job, start_assignment
from .models import Assignment, InvitationLink, TrainerJob

ROWS_PER_PAGE = 25
# What new_token() makes: URL-safe base64, within the field's 64 characters.
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,64}")


@login_required
@require_http_methods(["GET", "POST"])
def overview(request):
    """The organisation overview: every cohort and how its assignments are going."""
    organisations = trainer_organisations(request.user)
    form = CohortForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        cohort = form.save(commit=False)
        cohort.created_by = request.user
        cohort.save()
        messages.success(
            request, _("Cohort “%(name)s” created. Now add learners.") % {"name": cohort.name}
        )
        return redirect("cohorts:members", cohort_id=cohort.pk)
    # Archived cohorts are listed only when asked for.
    show_archived = request.GET.get("show") == "archived"
    cohorts = list(
        cohorts_for(request.user)
        .filter(archived_at__isnull=not show_archived)
        .prefetch_related("assignments__course")
    )
    today = timezone.localdate()
    totals = dashboard.Summary(0, 0, 0, 0, 0)
    summaries = dashboard.cohort_summaries(
        [assignment for cohort in cohorts for assignment in cohort.assignments.all()], today
    )
    for cohort in cohorts:
        cohort.assignment_summaries = []
        for assignment in cohort.assignments.all():
            summary = summaries[assignment.pk]
            cohort.assignment_summaries.append((assignment, summary))
            for field in ("total", "not_started", "in_progress", "completed", "overdue"):
                setattr(totals, field, getattr(totals, field) + getattr(summary, field))
    return render(
        request,
        "cohorts/overview.html",
        {
            "cohorts": cohorts,
            "form": form,
            "totals": totals,
            "organisations": organisations,
            "show_archived": show_archived,
        },
    )


def selected_assignment(request, cohort):
    """The cohort's assignments, and the one asked for, else the one set most recently:
    a trainer who has just assigned a course wants to see it."""
    assignments = list(cohort.assignments.select_related("course"))
    wanted = request.GET.get("assignment", "")
    latest = max(assignments, key=lambda a: (a.created_at, a.pk), default=None)
    chosen = next((a for a in assignments if str(a.pk) == wanted), latest)
    return assignments, chosen


@login_required
@require_GET
def cohort_dashboard(request, cohort_id):
    cohort = cohort_for(request.user, cohort_id)
    assignments, assignment = selected_assignment(request, cohort)
    context = {"cohort": cohort, "assignments": assignments, "assignment": assignment}
    if assignment is not None:
        today = timezone.localdate()
        rows = dashboard.learner_rows(assignment, today)
        summary, series = dashboard.kept_figures(assignment, today)
        status = request.GET.get("status", "")
        if status in dashboard.STATUSES:
            rows = rows.filter(status=status)
        else:
            status = ""
        sort = request.GET.get("sort", "name")
        if sort not in dashboard.SORTS:
            sort = "name"
        text = search_text(request)
        paginator = Paginator(matching(rows, text).order_by(*dashboard.SORTS[sort]), ROWS_PER_PAGE)
        if not text:
            # The summary has already counted the rows; counting them again costs a query.
            paginator.count = getattr(summary, status) if status else summary.total
        page = paginator.get_page(request.GET.get("page"))
        kept = {"assignment": assignment.pk, "status": status, **({"q": text} if text else {})}
        dashboard.decorate(
            page.object_list, dashboard.required_total(assignment.course), today, assignment
        )
        context.update(
            summary=summary,
            page_obj=page,
            statuses=dashboard.STATUSES,
            selected_status=status,
            sort=sort,
            q=text,
            sort_links={key: "?" + urlencode({**kept, "sort": key}) for key in dashboard.SORTS},
            query_string=urlencode({**kept, "sort": sort}) + "&",
            chart=dashboard.chart(series),
            series=series,
        )
    return render(request, "cohorts/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("invitation", per="user", methods=("POST",))
def members(request, cohort_id):
    cohort = cohort_for(request.user, cohort_id)
    if request.method == "POST" and (refused := refused_while_archived(request, cohort)):
        return refused
    candidates = (
        User.objects.filter(memberships__organisation=cohort.organisation, groups__name="Learner")
        .exclude(cohort_memberships__cohort=cohort)
        .order_by("display_name")
        .distinct()
    )
    forms = {
        "addresses": AddressListForm(prefix="addresses", initial=failed_addresses(request, cohort)),
        "csv": CSVImportForm(prefix="csv"),
        "existing": ExistingMembersForm(prefix="existing", queryset=candidates[:200]),
        "link": InvitationLinkForm(prefix="link"),
    }
    action = request.POST.get("action")
    if request.method == "POST" and action in forms:
        try:
            if action == "addresses":
                forms["addresses"] = form = AddressListForm(request.POST, prefix="addresses")
                if form.is_valid():
                    addresses = addresses_from_text(form.cleaned_data["addresses"])
                    return import_in_background(cohort, addresses, request.user)
            elif action == "csv":
                forms["csv"] = form = CSVImportForm(request.POST, request.FILES, prefix="csv")
                if form.is_valid():
                    rows = numbered_addresses(form.cleaned_data["file"])
                    return import_in_background(
                        cohort,
                        [address for _line, address in rows],
                        request.user,
                        lines=[line for line, _address in rows],
                    )
            elif action == "existing":
                forms["existing"] = form = ExistingMembersForm(
                    request.POST, prefix="existing", queryset=candidates
                )
                if form.is_valid():
                    added = sum(add_member(cohort, user) for user in form.cleaned_data["learners"])
                    messages.success(request, _("%(count)s learners added.") % {"count": added})
                    return redirect("cohorts:members", cohort_id=cohort.pk)
            elif action == "link":
                forms["link"] = form = InvitationLinkForm(request.POST, prefix="link")
                if form.is_valid():
                    link = InvitationLink.objects.create(
                        cohort=cohort,
                        expires_at=timezone.now()
                        + datetime.timedelta(days=form.cleaned_data["valid_days"]),
                        max_uses=form.cleaned_data["max_uses"],
                        created_by=request.user,
                    )
                    record(
                        Action.INVITATION_CREATED,
                        f"Invitation link to cohort “{cohort.name}” created "
                        f"({link.max_uses} uses, expires {link.expires_at:%Y-%m-%d})",
                        data={"cohort_id": cohort.pk, "link_id": link.pk},
                    )
                    messages.success(request, _("Invitation link created."))
                    return redirect("cohorts:members", cohort_id=cohort.pk)
        except ImportRefused as refusal:
            messages.error(request, str(refusal))
    links = [
        (link, request.build_absolute_uri(reverse("cohorts:join", args=[link.token])))
        for link in cohort.links.filter(
            expires_at__gt=timezone.now(), withdrawn_at__isnull=True
        ).order_by("-created_at")
    ]
    return render(
        request,
        "cohorts/members.html",
        {
            "cohort": cohort,
            "forms": forms,
            "links": links,
            "member_count": cohort.memberships.count(),
            "recent_members": cohort.memberships.select_related("user").order_by(
                "-added_at", "-pk"
            )[:RECENT_MEMBERS],
            "verified_domains": sorted(cohort.organisation.verified_domains()),
            "outside_limit": settings.RATE_LIMITS["outside_invitation"][0],
            "pending_invitations": cohort.email_invitations.filter(
                accepted_at__isnull=True
            ).order_by("email")[:200],
            # Other ways in, offered by apps above (lti: a learning platform's roster).
            **provided_context("cohorts.members", request, cohort=cohort),
        },
    )


# The Add learners page lists who joined last; the member list has everyone.
RECENT_MEMBERS = 10


def failed_addresses(request, cohort):
    """After an import, the box holds only the addresses that were not added (?retry=
    the import's job), for the trainer to correct; the others are done."""
    job = TrainerJob.objects.filter(
        pk=request.GET.get("retry") if request.GET.get("retry", "").isdigit() else None,
        cohort=cohort,
        kind=TrainerJob.Kind.IMPORT,
    ).first()
    if job is None:
        return {}
    failed = [
        email for _row, email, outcome in job.summary.get("rows", []) if outcome in RowResult.FAILED
    ]
    return {"addresses": "\n".join(failed)}


def import_in_background(cohort, addresses, trainer, lines=None):
    """Import the addresses as a background job (cohorts.jobs) and follow it: the
    request only saves them, with the line of the file each came from."""
    if len(addresses) > MAX_ADDRESSES:
        raise ImportRefused(
            _("Import at most %(count)s addresses at a time.") % {"count": MAX_ADDRESSES}
        )
    params = {"addresses": addresses}
    if lines is not None:
        params["lines"] = lines
    job = new_job(TrainerJob.Kind.IMPORT, cohort, trainer, params, total=len(addresses))
    return redirect("cohorts:job", job_id=job.pk)


def say_if_over_the_limit(request, cohort, results):
    over = sum(result.outcome == "over_limit" for result in results)
    if not over:
        return
    limit, _window = settings.RATE_LIMITS["outside_invitation"]
    messages.warning(
        request,
        ngettext(
            "%(count)s invitation was not sent: you can invite %(limit)s people a day at "
            "addresses outside the email domains verified for %(organisation)s. Nothing was "
            "saved for it; add it again tomorrow, or ask an administrator to verify your "
            "organisation's email domain.",
            "%(count)s invitations were not sent: you can invite %(limit)s people a day at "
            "addresses outside the email domains verified for %(organisation)s. Nothing was "
            "saved for them; add them again tomorrow, or ask an administrator to verify your "
            "organisation's email domain.",
            over,
        )
        % {"count": over, "limit": limit, "organisation": cohort.organisation.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assign_courses(request, cohort_id):
    cohort = cohort_for(request.user, cohort_id)
    if refused := refused_while_archived(request, cohort):
        return refused
    form = AssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Enrolling a large cohort takes longer than a request may: the worker does it.
        job = start_assignment(
            cohort,
            form.cleaned_data["courses"],
            form.cleaned_data["due_date"],
            form.cleaned_data["recertify_months"],
            request.user,
            form.late_joiner_terms(),
        )
        return redirect("cohorts:job", job_id=job.pk)
    return render(request, "cohorts/assign.html", {"cohort": cohort, "form": form})


def export_assignment(request, cohort_id):
    cohort = cohort_for(request.user, cohort_id)
    _assignments, assignment = selected_assignment(request, cohort)
    if assignment is None:
        raise Http404
    return cohort, assignment


def export_name(cohort, assignment, extension):
    day = f"{timezone.localdate():%Y-%m-%d}"
    return f"{slugify(cohort.name)}-{slugify(assignment.course.title)}-{day}.{extension}"


def record_export(cohort, assignment, file_format):
    """Exports carry learners' names and results out of the platform, so each is audited."""
    record(
        Action.COHORT_EXPORTED,
        f"Exported {file_format.upper()} of cohort “{cohort.name}” for “{assignment.course.title}”",
        data={
            "format": file_format,
            "cohort_id": cohort.pk,
            "assignment_id": assignment.pk,
            "organisation_id": cohort.organisation_id,
        },
    )


@login_required
@require_GET
@rate_limit("export", per="user")
def export_csv(request, cohort_id):
    cohort, assignment = export_assignment(request, cohort_id)
    record_export(cohort, assignment, "csv")
    rows = dashboard.learner_rows(assignment)
    response = StreamingHttpResponse(
        exports.csv_lines(rows, assignment.course), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{export_name(cohort, assignment, "csv")}"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("export", per="user", methods=("POST",))
def export_xlsx(request, cohort_id):
    return export_in_background(request, cohort_id, TrainerJob.Kind.XLSX)


def export_in_background(request, cohort_id, kind):
    """Large cohorts' files take longer than a request may: the worker writes them. A
    GET shows the button that asks for the file, so that following a link, or a
    browser fetching ahead, never starts a job."""
    cohort, assignment = export_assignment(request, cohort_id)
    if request.method != "POST":
        return render(
            request,
            "cohorts/export_start.html",
            {"cohort": cohort, "assignment": assignment, "kind": kind},
        )
    record_export(cohort, assignment, kind.value)
    job = new_job(
        kind,
        cohort,
        request.user,
        {"assignment": assignment.pk, "filename": export_name(cohort, assignment, kind.value)},
    )
    return redirect("cohorts:job", job_id=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("export", per="user", methods=("POST",))
def certificates_zip(request, cohort_id):
    return export_in_background(request, cohort_id, TrainerJob.Kind.ZIP)


@login_required
@require_GET
def learner_detail(request, learner_id):
    """One learner's progress per course: scores, never their individual answers."""
    membership = membership_for(request.user, learner_id)
    return learner_page(request, membership, StaffNumberForm(instance=membership))


def learner_page(request, membership, staff_number_form, status=200):
    learner = membership.user
    learning = learning_dashboard(learner)
    best = {
        row["assessment__path"][:-4]: row["best"]
        for row in learner.attempts.filter(submitted_at__isnull=False)
        .values("assessment__path")
        .annotate(best=Max("percent"))
    }
    enrolments = learning["in_progress"] + learning["completed"]
    for enrolment in enrolments:
        enrolment.best_score = best.get(enrolment.course.path)
    return render(
        request,
        "cohorts/learner.html",
        {
            "learner": learner,
            "enrolments": enrolments,
            "certificates": certificate_history(learner, enrolments),
            "assign_form": AssignForm(),
            "staff_number_form": staff_number_form,
            "assignments": Assignment.objects.filter(
                cohort__members=learner, organisation__in=trainer_organisations(request.user)
            ).select_related("course", "cohort"),
            **adjustments_context(request, learner),
        },
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def set_staff_number(request, learner_id):
    """Record the organisation's own number for a learner, as HR systems know them."""
    membership = membership_for(request.user, learner_id)
    learner = membership.user
    before = membership.staff_number
    form = StaffNumberForm(request.POST, instance=membership)
    if not form.is_valid():
        return learner_page(request, membership, form, status=400)
    number = form.cleaned_data["staff_number"]
    if number != before:
        # Only the number changes: an update, so the membership's own "changed" event and
        # the editorial group sync (post_save receivers) are not set off for it.
        Membership.objects.filter(pk=membership.pk).update(staff_number=number)
        # Kept compliance rows show the number (reports.compliance).
        cache_versions.changed(user_version(learner.pk))
        record(
            Action.STAFF_NUMBER_CHANGED,
            f"Staff number of {learner.email} in “{membership.organisation.name}” changed",
            data={
                "learner_id": learner.pk,
                "organisation_id": membership.organisation_id,
                "before": before,
                "after": number,
            },
        )
    messages.success(request, _("Staff number saved."))
    return redirect("cohorts:learner", learner_id=learner.pk)


def adjustments_context(request, learner, form=None):
    organisations = trainer_organisations(request.user)
    can_adjust = in_own_cohorts(organisations, learner)
    if can_adjust and form is None:
        form = TimeAdjustmentForm(assessments=adjustable_assessments(organisations, learner))
    return {
        "can_adjust": can_adjust,
        "adjustment_form": form if can_adjust else None,
        "adjustments": adjustments_of(learner),
    }


@login_required
@require_http_methods(["POST"])
def set_time_adjustment(request, learner_id):
    """Give a learner in one of the trainer's cohorts extra time, or no time limit."""
    learner = learner_for(request.user, learner_id)
    organisations = trainer_organisations(request.user)
    if not in_own_cohorts(organisations, learner):
        messages.error(
            request,
            _(
                "Only a trainer of a cohort this learner is in can set their time "
                "adjustments. Nothing was saved."
            ),
        )
        return redirect("cohorts:learner", learner_id=learner.pk)
    form = TimeAdjustmentForm(
        request.POST, assessments=adjustable_assessments(organisations, learner)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("cohorts:learner", learner_id=learner.pk)
    assessment, kind, percent = form.adjustment
    adjustment, created = set_adjustment(
        learner, assessment, kind, percent, form.cleaned_data["note"], request.user
    )
    where = assessment.full_title if assessment else _("all assessments")
    message = (
        _("Time adjustment set: %(what)s for %(where)s.")
        if created
        else _("Time adjustment changed: %(what)s for %(where)s.")
    )
    messages.success(request, message % {"what": adjustment.label, "where": where})
    return redirect("cohorts:learner", learner_id=learner.pk)


@login_required
@require_http_methods(["POST"])
def remove_time_adjustment(request, learner_id, adjustment_id):
    learner = learner_for(request.user, learner_id)
    adjustment = (
        TimeAdjustment.objects.filter(pk=adjustment_id, learner=learner)
        .select_related("assessment", "learner")
        .first()
    )
    if adjustment is None:
        raise Http404
    if not in_own_cohorts(trainer_organisations(request.user), learner):
        messages.error(
            request,
            _(
                "Only a trainer of a cohort this learner is in can change their time "
                "adjustments. Nothing was changed."
            ),
        )
        return redirect("cohorts:learner", learner_id=learner.pk)
    remove_adjustment(adjustment)
    messages.success(request, _("Time adjustment removed."))
    return redirect("cohorts:learner", learner_id=learner.pk)


@login_required
@require_http_methods(["POST"])
def assign_to_learner(request, learner_id):
    """Set a course for one learner, in the trainer's organisation they belong to."""
    learner = learner_for(request.user, learner_id)
    organisation = trainer_organisations(request.user).filter(memberships__user=learner).first()
    form = AssignForm(request.POST)
    if form.is_valid():
        for course in form.cleaned_data["courses"]:
            assign(
                course,
                form.cleaned_data["due_date"],
                organisation,
                request.user,
                user=learner,
                recertify_months=form.cleaned_data["recertify_months"],
            )
        messages.success(request, _("Courses assigned."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("cohorts:learner", learner_id=learner.pk)


@login_required
@require_http_methods(["GET", "POST"])
def join(request, token):
    """A learner follows an invitation link to join a cohort."""
    # Tokens are URL-safe base64; anything else names no link (and reaches no query).
    token = token if TOKEN_FORMAT.fullmatch(token) else ""
    link = (
        InvitationLink.objects.select_related("cohort__organisation").filter(token=token).first()
        if token
        else None
    )
    if request.method == "POST":
        try:
            cohort, joined = join_by_link(token, request.user)
        except LinkRefused as refusal:
            return render(request, "cohorts/join.html", {"error": str(refusal)}, status=400)
        if joined:
            messages.success(request, _("You have joined “%(cohort)s”.") % {"cohort": cohort.name})
        else:
            messages.info(request, _("You are already in “%(cohort)s”.") % {"cohort": cohort.name})
        return redirect("learning:my_learning")
    error = link_refusal(link)
    if not error and not link.is_usable:
        error = _(
            "This invitation link has expired or been used up. Ask your trainer for a new one."
        )
    if error:
        return render(
            request, "cohorts/join.html", {"error": error}, status=400 if link is None else 410
        )
    return render(request, "cohorts/join.html", {"link": link})
