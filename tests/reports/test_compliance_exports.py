import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import Action, AuditEvent
from benchmarks.compliance_export import assign_up_to, export_memory

from .conftest import set_staff_number

pytestmark = pytest.mark.django_db


def csv_table(response):
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_has_the_table_with_staff_numbers_and_the_filters_chosen(organisation):
    client = organisation.force.client
    table = csv_table(client.get(reverse("reports:compliance_csv")))
    assert table[0] == [
        "Name",
        "Email",
        "Staff number",
        "Cohort",
        "Course",
        "Status",
        "Due",
        "Completed",
        "Certificate valid until",
    ]
    by_name = {row[0]: row for row in table[1:]}
    assert set(by_name) == {"Ada Done", "Ben Started", "Cal Idle", "Dee Direct"}
    assert by_name["Ada Done"][2] == "PC 101" and by_name["Ada Done"][5] == "Completed"
    assert by_name["Dee Direct"][2:6] == ["ESR-9", "Assigned directly", "Airport course", "Overdue"]

    filtered = csv_table(client.get(reverse("reports:compliance_csv"), {"status": "in_progress"}))
    assert [row[0] for row in filtered[1:]] == ["Ben Started"]
    assert AuditEvent.objects.filter(action=Action.COHORT_EXPORTED).count() == 2


def test_exports_neutralise_formulas_in_names_and_staff_numbers(organisation):
    organisation.idle.display_name = '=HYPERLINK("http://evil")'
    organisation.idle.save()
    set_staff_number(organisation.idle, organisation.force.organisation, "+1\x07")
    client = organisation.force.client
    table = csv_table(client.get(reverse("reports:compliance_csv")))
    row = next(row for row in table if "HYPERLINK" in row[0])
    assert row[0] == '\'=HYPERLINK("http://evil")' and row[2] == "'+1\x07"

    response = client.get(reverse("reports:compliance_xlsx"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][2] == "Staff number" and len(rows) == 5
    row = next(row for row in rows if "HYPERLINK" in row[0])
    # Control characters cannot be kept in a sheet: they are dropped there.
    assert row[0] == '\'=HYPERLINK("http://evil")' and row[2] == "'+1"
    assert {row[2] for row in rows[1:]} >= {"PC 101", "ESR-9"}


def test_the_memory_benchmark_runs_on_a_small_organisation(organisation):
    """A dry run of benchmarks/compliance_export.py: its cohort is given more assignments,
    then both exports are written in full and their rows counted."""
    today = timezone.localdate()
    assign_up_to(organisation.cohort, 2, today)
    results = export_memory([organisation.force.organisation.pk], today)
    # Three cohort members on two courses, and the learner assigned a course directly.
    assert results["csv"]["rows"] == results["xlsx"]["rows"] == 7
    assert results["csv"]["peak_extra_mib"] < 50 and results["xlsx"]["peak_extra_mib"] < 50
