"""GOV.UK form patterns on the site's own forms: an error summary at the top, linked to
each field and taking the focus, "Error: " before the page title, and dates asked for as
day, month and year boxes."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.models import Assignment
from core.date_input import DayMonthYearField, date_from_parts

pytestmark = pytest.mark.django_db


def summary_of(page):
    assert page.count('class="error-summary"') == 1
    return page.split('class="error-summary"')[1].split("</div>")[0]


def test_a_failed_trainer_form_has_the_summary_and_the_title_prefix(force_x, course):
    cohort = force_x.cohort(learners=1)
    response = force_x.client.post(
        reverse("cohorts:assign", args=[cohort.pk]),
        {"due_date_day": "31", "due_date_month": "2", "due_date_year": "2030"},
    )
    page = response.content.decode()
    assert "<title>Error: Assign courses – Intake 26A – Recognise</title>" in page
    summary = summary_of(page)
    assert "autofocus" in summary and 'tabindex="-1"' in summary and 'role="alert"' in summary
    assert '<a href="#id_courses_0">' in summary
    assert '<a href="#id_due_date_0">The date must be a real date, for example 27 3 2027.</a>' in (
        summary
    )
    # The summary comes before the page's heading.
    assert page.index('class="error-summary"') < page.index("<h1")
    assert not Assignment.objects.exists()


def test_the_due_date_is_three_labelled_boxes(force_x, course):
    cohort = force_x.cohort()
    page = force_x.client.get(reverse("cohorts:assign", args=[cohort.pk])).content.decode()
    assert 'type="date"' not in page
    assert "<legend>Due date</legend>" in page
    for number, label in enumerate(("Day", "Month", "Year")):
        assert f'<label for="id_due_date_{number}">{label}</label>' in page
        assert f'id="id_due_date_{number}"' in page
    assert 'class="error-summary"' not in page and "<title>Error:" not in page


def test_three_boxes_assign_a_course(force_x, course):
    cohort = force_x.cohort(learners=1)
    due = timezone.localdate() + datetime.timedelta(days=30)
    response = force_x.client.post(
        reverse("cohorts:assign", args=[cohort.pk]),
        {
            "courses": [course.pk],
            "due_date_day": str(due.day),
            "due_date_month": f"{due.month:02}",
            "due_date_year": str(due.year),
        },
    )
    assert response.status_code == 302
    assert Assignment.objects.get().due_date == due


def test_the_summary_and_prefix_are_in_welsh(force_x, course):
    cohort = force_x.cohort()
    with translation.override("cy"):
        page = force_x.client.post(
            reverse("cohorts:assign", args=[cohort.pk]).replace("/en/", "/cy/", 1),
            {"courses": [course.pk], "due_date_day": "1"},
        ).content.decode()
    assert "<title>Gwall: " in page
    assert "Mae problem" in summary_of(page)
    assert "<legend>Dyddiad cau</legend>" in page


class Sample(forms.Form):
    when = DayMonthYearField(label="When")
    name = forms.CharField()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Enter the date as a day, month and year."),
        ({"when_day": "1", "when_month": "", "when_year": "2030"}, "as a day, month and year"),
        ({"when_day": "x", "when_month": "1", "when_year": "2030"}, "must be a real date"),
        ({"when_day": "1", "when_month": "13", "when_year": "2030"}, "must be a real date"),
        ({"when_day": "1", "when_month": "1", "when_year": "30"}, "must be a real date"),
        ({"when_day": "1", "when_month": "1", "when_year": "20300"}, "must be a real date"),
        ({"when": "not-a-date"}, "must be a real date"),
    ],
)
def test_dates_that_are_not_dates_are_field_errors(data, error):
    form = Sample({**data, "name": "x"})
    assert not form.is_valid()
    assert error in form.errors["when"][0]


def test_a_date_in_one_value_is_read_too():
    form = Sample({"when": "2030-03-27", "name": "x"})
    assert form.is_valid() and form.cleaned_data["when"] == datetime.date(2030, 3, 27)
    assert date_from_parts(" 7", "03", "2030") == datetime.date(2030, 3, 7)


def test_forms_without_errors_add_nothing():
    template = Template("{% load error_summary %}[{% error_title_prefix %}]{% error_summary %}")
    untouched = template.render(Context({"form": Sample()}))
    valid = template.render(Context({"form": Sample({"when": "2030-03-27", "name": "x"})}))
    assert untouched.strip() == valid.strip() == "[]"
    failed = template.render(Context({"forms": {"sample": Sample({"name": ""})}}))
    assert failed.startswith("[Error: ]")
    assert '<a href="#id_when_0">' in failed and '<a href="#id_name">' in failed


def test_a_page_without_a_django_form_names_its_field(client):
    page = client.post(reverse("certificates:verify_form"), {"code": "NOPE-NOPE"}).content.decode()
    assert "<title>Error: Check a certificate – Recognise</title>" in page
    assert (
        '<a href="#verify-code">No certificate has this code. Check it and try again.</a>'
        in summary_of(page)
    )
