from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.models import Action
from audit.records import record
from cohorts.access import cohorts_for, trainer_organisations
from cohorts.models import Assignment
from core.rate_limits import rate_limit

from . import compliance, exports
from .forms import ComplianceFilterForm

ROWS_PER_PAGE = 25
FILTERS = ("cohort", "course", "status", "search")


def chosen_rows(request):
    """The organisations' compliance rows with the filters of the query string, and the
    form that chose them. Refuses anyone who is not a trainer (cohorts.access)."""
    organisations = trainer_organisations(request.user)
    form = ComplianceFilterForm(
        request.GET,
        cohorts=cohorts_for(request.user),
        assignments=Assignment.objects.filter(organisation__in=organisations),
    )
    today = timezone.localdate()
    rows = compliance.filtered(compliance.compliance_rows(organisations, today), **form.criteria())
    return organisations, form, rows, today


@login_required
@require_GET
def compliance_view(request):
    """The training manager's view: every member against every course assigned to them."""
    organisations, form, rows, today = chosen_rows(request)
    page = Paginator(compliance.ordered(rows), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    compliance.decorate(page.object_list)
    rates = compliance.completion_by_cohort(organisations, today)
    filters = urlencode({name: request.GET.get(name, "") for name in FILTERS})
    return render(
        request,
        "reports/compliance.html",
        {
            "form": form,
            "page_obj": page,
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
    _organisations, _form, rows, _today = chosen_rows(request)
    record_export(request, "csv")
    response = StreamingHttpResponse(
        exports.csv_lines(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_name("csv")}"'
    return response


@login_required
@require_GET
@rate_limit("export", per="user")
def export_xlsx(request):
    _organisations, _form, rows, _today = chosen_rows(request)
    record_export(request, "xlsx")
    return FileResponse(
        exports.xlsx_file(rows),
        as_attachment=True,
        filename=export_name("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
