"""Trainers fill a cohort from the roster of a platform course its organisation's
learners launch Recognise from (Names and Role Provisioning Services)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods
from lti_tool.models import LtiContext

from cohorts.access import cohort_for, trainer_organisations

from . import services
from .models import PlatformRegistration, RosterImport
from .tasks import import_roster

# An import still unfinished after this long lost its worker; a new one may start.
UNDER_WAY_FOR = datetime.timedelta(hours=1)
# How often the page asks for the count read, or reloads without scripts.
REFRESH_SECONDS = 5


def platform_courses(organisation):
    return (
        LtiContext.objects.filter(
            deployment__registration__platform__organisation=organisation,
            deployment__registration__is_active=True,
        )
        .exclude(memberships_url="")
        .select_related("deployment__registration")
        .order_by("title", "pk")
    )


def roster_link(request, cohort):
    """The cohort's "Add learners" page offers the roster when a learning platform of
    its organisation is registered."""
    if not PlatformRegistration.objects.filter(organisation=cohort.organisation_id).exists():
        return {}
    return {
        "other_ways_to_add": [
            {
                "url": reverse("lti_pages:fill_from_roster", args=[cohort.pk]),
                "label": _("Add learners from a learning platform"),
            }
        ]
    }


@login_required
@require_http_methods(["GET", "POST"])
def fill_from_roster(request, cohort_id):
    cohort = cohort_for(request.user, cohort_id)
    contexts = platform_courses(cohort.organisation)
    if request.method == "POST":
        if cohort.is_archived:
            messages.error(request, _("An archived cohort takes no new members."))
            return redirect("lti_pages:fill_from_roster", cohort.pk)
        context_id = request.POST.get("context", "")
        context = contexts.filter(pk=int(context_id)).first() if context_id.isdigit() else None
        if context is None:
            messages.error(request, _("Choose one of the platform courses listed."))
            return redirect("lti_pages:fill_from_roster", cohort.pk)
        # Pressing the button twice, or two trainers at once, starts one import.
        under_way = RosterImport.objects.filter(
            context=context,
            cohort=cohort,
            status__in=[RosterImport.Status.PENDING, RosterImport.Status.RUNNING],
            created_at__gte=timezone.now() - UNDER_WAY_FOR,
        ).first()
        if under_way is not None:
            return redirect("lti_pages:roster_import", under_way.uuid)
        roster_import = RosterImport.objects.create(
            context=context, cohort=cohort, requested_by=request.user
        )
        transaction.on_commit(lambda: import_roster.enqueue(str(roster_import.uuid)))
        return redirect("lti_pages:roster_import", roster_import.uuid)
    return render(request, "lti/fill_from_roster.html", {"cohort": cohort, "contexts": contexts})


def visible_import(user, import_id):
    """The import, if it fills a cohort of an organisation the user trains."""
    return (
        RosterImport.objects.select_related("cohort", "context")
        .filter(uuid=import_id, cohort__organisation__in=trainer_organisations(user))
        .first()
    )


def progress_text(roster_import):
    read = ngettext(
        "%(counter)s member read so far.", "%(counter)s members read so far.", roster_import.read
    ) % {"counter": roster_import.read}
    return f"{roster_import.get_status_display()}. {read}"


@login_required
@require_GET
def roster_import(request, import_id):
    roster_import = visible_import(request.user, import_id)
    if roster_import is None:
        raise Http404
    limits = {
        "members": f"{services.MAX_ROSTER_MEMBERS:,}",
        "pages": f"{services.MAX_ROSTER_PAGES:,}",
    }
    return render(
        request,
        "lti/roster_import.html",
        {
            "roster_import": roster_import,
            "finished": roster_import.is_finished,
            "progress_text": progress_text(roster_import),
            "refresh_seconds": REFRESH_SECONDS,
            "limits": limits,
        },
    )


@login_required
@require_GET
def roster_import_progress(request, import_id):
    """The figures the import's page shows without reloading (cohorts' job-progress.js)."""
    roster_import = visible_import(request.user, import_id)
    if roster_import is None:
        return JsonResponse({"error": _("This import is no longer available.")}, status=404)
    return JsonResponse(
        {
            "status": roster_import.status,
            "done": roster_import.read,
            # A roster does not say how long it is: the bar shows work under way.
            "total": 0,
            "percent": 0,
            "finished": roster_import.is_finished,
            "text": progress_text(roster_import),
        }
    )
