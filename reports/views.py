from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.models import Action
from audit.records import record
from cohorts.access import trainer_organisations
from core.rate_limits import rate_limit

from . import compliance, exports
from .forms import ComplianceFilterForm

# Learners per page: each brings every course assigned to them, so a page has a few
# dozen rows at most.
LEARNERS_PER_PAGE = 10
FILTERS = ("cohort", "course", "status", "search")


def chosen_criteria(request):
    """The trainer's organisations, the filters of the query string and the form that
    chose them. Refuses anyone who is not a trainer (cohorts.access)."""
    organisations = trainer_organisations(request.user)
    cohorts, courses = compliance.kept_filter_choices(organisations)
    form = ComplianceFilterForm(request.GET, cohorts=cohorts, courses=courses)
    return organisations, form, form.criteria(), timezone.localdate()


def chosen_rows(request):
    """Every compliance row the filters keep, for the exports, and the function that
    gives late joiners' own due dates among them."""
    organisations, _form, criteria, today = chosen_criteria(request)
    rows = compliance.compliance_rows(organisations, today, **criteria)
    return rows, compliance.own_due_dates(organisations, **criteria)


@login_required
@require_GET
def compliance_view(request):
    """The training manager's view: every member against every course assigned to them."""
    organisations, form, criteria, today = chosen_criteria(request)
    learners = compliance.chosen_learners(organisations, today, **criteria)
    organisations = list(organisations)
    assigned = compliance.assigned_cohorts(organisations)
    paginator = Paginator(learners, LEARNERS_PER_PAGE)
    unfiltered = not any(criteria.values())
    if unfiltered:
        # Counting every learner reached costs more than the rest of the page.
        paginator.count = compliance.kept_learner_count(organisations, learners, assigned)
    page = paginator.get_page(request.GET.get("page"))
    if unfiltered:
        rows = compliance.kept_rows_of_learners(organisations, today, page.object_list, assigned)
    else:
        rows = compliance.rows_of_learners(organisations, today, page.object_list, **criteria)
    rows = compliance.decorate([dict(row) for row in rows])
    rates = compliance.kept_completion_by_cohort(organisations, today, assigned)
    filters = urlencode({name: request.GET.get(name, "") for name in FILTERS})
    return render(
        request,
        "reports/compliance.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "query_string": filters + "&",
            "filters": filters,
            "rates": rates,
            "chart": compliance.rate_chart(rates),
        },
    )


def record_export(request, file_format):
    """Exports carry learners' names and results out of the platform, so each is audited."""
    record(
        Action.COHORT_EXPORTED,
        f"Exported {file_format.upper()} of the organisation's compliance table",
        data={
            "format": file_format,
            "report": "compliance",
            "filters": {name: request.GET.get(name, "") for name in FILTERS},
        },
    )


def export_name(extension):
    return f"compliance-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
@require_GET
@rate_limit("export", per="user")
def export_csv(request):
    rows, due_dates = chosen_rows(request)
    record_export(request, "csv")
    response = StreamingHttpResponse(
        exports.csv_lines(rows, due_dates), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_name("csv")}"'
    return response


@login_required
@require_GET
@rate_limit("export", per="user")
def export_xlsx(request):
    rows, due_dates = chosen_rows(request)
    record_export(request, "xlsx")
    return FileResponse(
        exports.xlsx_file(rows, due_dates),
        as_attachment=True,
        filename=export_name("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
