"""Trainers' housekeeping pages: the member list with search, removing a learner,
renaming and archiving a cohort, moving or cancelling a due date, and withdrawing
invitations. Every object is looked up within the trainer's own cohorts."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from accounts.natural_names import natural_key

from . import housekeeping
from .access import cohort_for
from .housekeeping_forms import DueDateForm, RenameCohortForm
from .models import EmailInvitation, InvitationLink

MEMBERS_PER_PAGE = 50
# Longer searches name nobody; the cut keeps the query bounded.
SEARCH_LIMIT = 100


def search_text(request):
    return " ".join(request.GET.get("q", "").split())[:SEARCH_LIMIT]


def matching(users, text):
    """People whose name or address contains the text, whatever its case (and, for the
    name, its accents) on every database."""
    if not text:
        return users
    return users.filter(
        Q(display_name__icontains=text)
        | Q(email__icontains=text)
        | Q(natural_name__contains=natural_key(text))
    )


def refused_while_archived(request, cohort):
    """Archived cohorts take no new members or assignments: say so and go back."""
    if cohort.archived_at is None:
        return None
    messages.error(
        request,
        _(
            "“%(cohort)s” is archived: it cannot take new learners or courses. "
            "Unarchive it from its settings first."
        )
        % {"cohort": cohort.name},
    )
    return redirect("cohorts:dashboard", cohort_id=cohort.pk)


@login_required
@require_GET
def member_list(request, cohort_id):
    """The cohort's learners, by name as people read it, searchable, a page at a time."""
    cohort = cohort_for(request.user, cohort_id)
    text = search_text(request)
    learners = matching(User.objects.filter(cohort_memberships__cohort=cohort), text).order_by(
        "natural_name", "email"
    )
    page = Paginator(learners.only("pk", "display_name", "email"), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cohorts/member_list.html",
        {
            "cohort": cohort,
            "page_obj": page,
            "q": text,
            "query_string": urlencode({"q": text}) + "&" if text else "",
        },
    )


def learner_in(cohort, learner_id):
    """The person, if they are (or were) one of the cohort's: a member now, or someone
    of its organisation. Anyone else is not found."""
    learner = (
        User.objects.filter(pk=learner_id)
        .filter(
            Q(cohort_memberships__cohort=cohort) | Q(memberships__organisation=cohort.organisation)
        )
        .distinct()
        .first()
    )
    if learner is None:
        raise Http404
    return learner


@login_required
@require_http_methods(["GET", "POST"])
def remove_member(request, cohort_id, learner_id):
    cohort = cohort_for(request.user, cohort_id)
    learner = learner_in(cohort, learner_id)
    is_member = cohort.memberships.filter(user=learner).exists()
    if request.method == "POST" or not is_member:
        removed = request.method == "POST" and housekeeping.remove_member(
            cohort, learner, request.user
        )
        name = learner.display_name or learner.email
        if removed:
            messages.success(
                request,
                _(
                    "%(name)s was removed from “%(cohort)s”. Their learning record and "
                    "certificates are still theirs."
                )
                % {"name": name, "cohort": cohort.name},
            )
        else:
            messages.info(
                request,
                _("%(name)s is not in “%(cohort)s” any more: nothing to remove.")
                % {"name": name, "cohort": cohort.name},
            )
        return redirect("cohorts:member_list", cohort_id=cohort.pk)
    return render(request, "cohorts/remove_member.html", {"cohort": cohort, "learner": learner})


@login_required
@require_http_methods(["GET", "POST"])
def cohort_settings(request, cohort_id):
    """Rename the cohort, or archive or unarchive it."""
    cohort = cohort_for(request.user, cohort_id)
    form = RenameCohortForm(request.POST or None, instance=cohort)
    if request.method == "POST":
        previous = cohort.name
        if form.is_valid():
            # Validating set the new name on the cohort already; the rename records both.
            cohort.name = previous
            if housekeeping.rename_cohort(cohort, form.cleaned_data["name"]):
                messages.success(
                    request,
                    _("“%(previous)s” is now called “%(name)s”.")
                    % {"previous": previous, "name": cohort.name},
                )
            return redirect("cohorts:dashboard", cohort_id=cohort.pk)
        cohort.name = previous
    return render(request, "cohorts/cohort_settings.html", {"cohort": cohort, "form": form})


@login_required
@require_POST
def archive_cohort(request, cohort_id):
    cohort = cohort_for(request.user, cohort_id)
    archive = request.POST.get("archive") != "0"
    changed = housekeeping.set_archived(cohort, archive)
    if archive:
        message = (
            _(
                "“%(cohort)s” is archived: it is no longer in your list of cohorts, and its "
                "records stay readable."
            )
            if changed
            else _("“%(cohort)s” was already archived.")
        )
    else:
        message = (
            _("“%(cohort)s” is back in your list of cohorts.")
            if changed
            else _("“%(cohort)s” was not archived.")
        )
    (messages.success if changed else messages.info)(request, message % {"cohort": cohort.name})
    return redirect("cohorts:dashboard", cohort_id=cohort.pk)


def assignment_in(cohort, assignment_id):
    return cohort.assignments.select_related("course", "cohort").filter(pk=assignment_id).first()


def assignment_gone(request, cohort):
    messages.info(request, _("That course is no longer assigned to this cohort."))
    return redirect("cohorts:dashboard", cohort_id=cohort.pk)


def dashboard_of(assignment):
    url = reverse("cohorts:dashboard", args=[assignment.cohort_id])
    return redirect(f"{url}?{urlencode({'assignment': assignment.pk})}")


@login_required
@require_http_methods(["GET", "POST"])
def change_due_date(request, cohort_id, assignment_id):
    cohort = cohort_for(request.user, cohort_id)
    assignment = assignment_in(cohort, assignment_id)
    if assignment is None:
        return assignment_gone(request, cohort)
    form = DueDateForm(request.POST or None, current=assignment.due_date)
    if request.method == "POST" and form.is_valid():
        due = form.cleaned_data["due_date"]
        if housekeeping.change_due_date(assignment, due):
            messages.success(
                request,
                _(
                    "“%(course)s” is now due on %(date)s. The learners who have not "
                    "completed it are being told by email."
                )
                % {"course": assignment.course.title, "date": date_format(due, "j F Y")},
            )
        else:
            messages.info(request, _("That is already the due date: nothing changed."))
        return dashboard_of(assignment)
    return render(
        request,
        "cohorts/due_date.html",
        {"cohort": cohort, "assignment": assignment, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel_assignment(request, cohort_id, assignment_id):
    cohort = cohort_for(request.user, cohort_id)
    assignment = assignment_in(cohort, assignment_id)
    if assignment is None:
        return assignment_gone(request, cohort)
    if request.method == "POST":
        housekeeping.cancel_assignment(assignment)
        messages.success(
            request,
            _(
                "“%(course)s” is no longer assigned to this cohort. Learners keep their "
                "enrolments and progress, and those who had not completed it are being told."
            )
            % {"course": assignment.course.title},
        )
        return redirect("cohorts:dashboard", cohort_id=cohort.pk)
    return render(
        request, "cohorts/cancel_assignment.html", {"cohort": cohort, "assignment": assignment}
    )


@login_required
@require_POST
def withdraw_link(request, cohort_id, link_id):
    cohort = cohort_for(request.user, cohort_id)
    link = InvitationLink.objects.filter(cohort=cohort, pk=link_id).select_related("cohort").first()
    if link is None:
        raise Http404
    if housekeeping.withdraw_link(link):
        messages.success(request, _("Invitation link withdrawn: it no longer works."))
    else:
        messages.info(request, _("That invitation link was already withdrawn."))
    return redirect("cohorts:members", cohort_id=cohort.pk)


@login_required
@require_POST
def withdraw_invitation(request, cohort_id, invitation_id):
    cohort = cohort_for(request.user, cohort_id)
    invitation = (
        EmailInvitation.objects.filter(cohort=cohort, pk=invitation_id)
        .select_related("cohort")
        .first()
    )
    if invitation is None or invitation.accepted_at is not None:
        messages.info(
            request,
            _("That invitation was already withdrawn or has been accepted: nothing changed."),
        )
    elif housekeeping.withdraw_invitation(invitation):
        messages.success(
            request,
            _("Invitation to %(email)s withdrawn: signing up with it no longer joins the cohort.")
            % {"email": invitation.email},
        )
    else:
        messages.info(
            request,
            _("That invitation was already withdrawn or has been accepted: nothing changed."),
        )
    return redirect("cohorts:members", cohort_id=cohort.pk)
