"""The compliance table, its export and the reporting API give a late joiner the due
date of their own that the cohort dashboard gives them (cohorts.due_dates)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cohorts.assigning import add_member
from cohorts.models import Assignment, CohortMember
from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
STATUSES = reverse("reporting_api:statuses")


@pytest.fixture
def overdue_with_late_joiner(org_x):
    """A course given 30 days, due 10 days ago; the cohort's three joined before it was
    set, one more joins today."""
    course = make_course("Core course", lessons=1)
    CohortMember.objects.filter(cohort=org_x.cohort).update(
        added_at=timezone.now() - datetime.timedelta(days=45)
    )
    assignment = org_x.assign(course)
    Assignment.objects.filter(pk=assignment.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40),
        due_date=TODAY - datetime.timedelta(days=10),
    )
    late = UserFactory(role="Learner", organisation=org_x.organisation, display_name="Zed Late")
    add_member(org_x.cohort, late)
    return late


def test_the_compliance_table_and_its_filter_leave_a_late_joiner_not_overdue(
    org_x, overdue_with_late_joiner
):
    late = overdue_with_late_joiner
    client = org_x.signed_in_trainer()
    rows = client.get(reverse("reports:compliance")).context["rows"]
    by_name = {row["learner_name"]: row for row in rows}
    assert by_name["Zed Late"]["status"] == "not_started"
    assert by_name["Zed Late"]["due_date"] == TODAY + datetime.timedelta(days=30)
    others = [row["status"] for name, row in by_name.items() if name != "Zed Late"]
    assert others and set(others) == {"overdue"}

    overdue = client.get(reverse("reports:compliance"), {"status": "overdue"}).context["rows"]
    assert late.display_name not in {row["learner_name"] for row in overdue}
    not_started = client.get(reverse("reports:compliance"), {"status": "not_started"})
    assert [row["learner_name"] for row in not_started.context["rows"]] == ["Zed Late"]


def test_the_api_gives_a_late_joiner_their_own_due_date(org_x, overdue_with_late_joiner):
    late = overdue_with_late_joiner
    rows = org_x.api.get(STATUSES).json()["results"]
    mine = next(row for row in rows if row["learner_id"] == late.pk)
    assert mine["status"] == "not_started"
    assert mine["due_date"] == (TODAY + datetime.timedelta(days=30)).isoformat()
    assert {row["status"] for row in rows if row["learner_id"] != late.pk} == {"overdue"}


def test_the_compliance_exports_give_a_late_joiner_their_own_due_date(
    org_x, overdue_with_late_joiner
):
    client = org_x.signed_in_trainer()
    response = client.get(reverse("reports:compliance_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    due = table[0].index("Due")
    by_name = {row[0]: row for row in table[1:]}
    assert by_name["Zed Late"][due] == (TODAY + datetime.timedelta(days=30)).isoformat()
    assert by_name["Zed Late"][table[0].index("Status")] == "Not started"
    others = {row[due] for name, row in by_name.items() if name != "Zed Late"}
    assert others == {(TODAY - datetime.timedelta(days=10)).isoformat()}

    workbook = load_workbook(io.BytesIO(b"".join(client.get(reverse("reports:compliance_xlsx")))))
    sheet = {row[0]: row for row in workbook.active.iter_rows(min_row=2, values_only=True)}
    assert sheet["Zed Late"][due] == (TODAY + datetime.timedelta(days=30)).isoformat()
