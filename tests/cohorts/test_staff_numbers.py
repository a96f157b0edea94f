import csv
import io
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Membership
from audit.models import Action, AuditEvent
from courses.models import Enrolment
from tests.signing_in import sign_in
from tests.trainer_jobs import downloaded

pytestmark = pytest.mark.django_db


def staff_number(user, force):
    return Membership.objects.get(user=user, organisation=force.organisation).staff_number


def test_a_trainer_records_a_learners_staff_number_and_it_is_audited(force_x, assigned_cohort):
    learner = assigned_cohort.members.first()
    url = reverse("cohorts:set_staff_number", args=[learner.pk])
    response = force_x.client.post(url, {"staff_number": "  PC 4242 "})
    assert response.status_code == 302
    assert staff_number(learner, force_x) == "PC 4242"
    event = AuditEvent.objects.get(action=Action.STAFF_NUMBER_CHANGED)
    assert event.data["after"] == "PC 4242" and event.data["learner_id"] == learner.pk
    assert not AuditEvent.objects.filter(action=Action.MEMBERSHIP_CHANGED).exists()
    page = force_x.client.get(reverse("cohorts:learner", args=[learner.pk])).content.decode()
    assert 'value="PC 4242"' in page and "Staff number saved." in page


def test_a_staff_number_too_long_is_refused_with_a_field_error(force_x, assigned_cohort):
    learner = assigned_cohort.members.first()
    url = reverse("cohorts:set_staff_number", args=[learner.pk])
    response = force_x.client.post(url, {"staff_number": "9" * 51})
    assert response.status_code == 400
    assert "Ensure this value has at most 50 characters" in response.content.decode()
    assert response.context["staff_number_form"].errors["staff_number"]
    assert staff_number(learner, force_x) == ""
    assert not AuditEvent.objects.filter(action=Action.STAFF_NUMBER_CHANGED).exists()


def test_another_organisations_trainer_cannot_set_it(force_x, force_y, assigned_cohort):
    learner = assigned_cohort.members.first()
    url = reverse("cohorts:set_staff_number", args=[learner.pk])
    assert force_y.client.post(url, {"staff_number": "Y-1"}).status_code == 404
    assert staff_number(learner, force_x) == ""


def test_cohort_exports_carry_the_staff_number(force_x, assigned_cohort):
    learner = assigned_cohort.members.order_by("display_name", "email").first()
    Membership.objects.filter(user=learner).update(staff_number="=1+1")
    response = force_x.client.get(reverse("cohorts:export_csv", args=[assigned_cohort.pk]))
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert table[0][:3] == ["Name", "Email", "Staff number"]
    assert table[1][2] == "'=1+1"
    # The spreadsheet is made by a background job; its page links to the file.
    response = force_x.client.post(reverse("cohorts:export_xlsx", args=[assigned_cohort.pk]))
    workbook = load_workbook(io.BytesIO(downloaded(force_x.client, response)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][2] == "Staff number" and rows[1][2] == "'=1+1"


def test_the_learners_own_data_download_has_their_staff_number(force_x, assigned_cohort):
    learner = assigned_cohort.members.first()
    Membership.objects.filter(user=learner).update(staff_number="ESR 77")
    client = Client()
    sign_in(client, learner.email)
    data = json.loads(client.post(reverse("privacy:download_data")).content)
    assert [o["staff_number"] for o in data["organisations"]] == ["ESR 77"]


def test_the_weekly_chart_labels_its_weeks_or_says_it_is_empty(force_x, assigned_cohort, course):
    url = reverse("cohorts:dashboard", args=[assigned_cohort.pk])
    page = force_x.client.get(url).content.decode()
    assert "No completions in the last 12 weeks yet" in page
    Enrolment.objects.filter(user=assigned_cohort.members.first(), course=course).update(
        completed_at=timezone.now()
    )
    cache.clear()
    response = force_x.client.get(url)
    page = response.content.decode()
    week = response.context["series"][-1][0]
    assert "No completions in the last 12 weeks yet" not in page
    assert f">{week.day} {week:%b}</text>" in page and "Week starting</text>" in page
    assert '<div class="table-scroll" role="region" aria-labelledby="learners-heading"' in page
