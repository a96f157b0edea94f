import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.assigning import add_member, assign
from cohorts.dashboard import learner_rows
from cohorts.models import Assignment
from learning.progress import complete_lesson
from learning.progress_summary import figures_changed
from tests.factories import UserFactory, make_course
from tests.query_budgets import queries_for
from tests.signing_in import sign_in

from .conftest import learner_in, record_progress

pytestmark = pytest.mark.django_db
URL = reverse("reports:compliance")


def rows_of(client, **filters):
    response = client.get(URL, filters)
    assert response.status_code == 200
    return [
        (row["learner_name"], row["course_title"], row["status"])
        for row in response.context["rows"]
    ]


def test_the_trainer_sees_every_member_against_every_assigned_course(organisation):
    response = organisation.force.client.get(URL)
    assert rows_of(organisation.force.client) == [
        ("Ada Done", "Core course", "completed"),
        ("Ben Started", "Core course", "in_progress"),
        ("Cal Idle", "Core course", "not_started"),
        ("Dee Direct", "Airport course", "overdue"),
    ]
    page = response.content.decode()
    assert "PC 101" in page and "ESR-9" in page
    assert "Response officers" in page and "Assigned directly" in page


def test_statuses_are_those_of_the_cohort_dashboard(organisation):
    """The same rule (learning.rules) answers on both pages."""
    assignment = Assignment.objects.get(cohort=organisation.cohort)
    expected = {row.display_name: row.status for row in learner_rows(assignment)}
    found = {
        name: status
        for name, course, status in rows_of(organisation.force.client)
        if course == "Core course"
    }
    assert found == expected


def test_another_organisations_trainer_sees_none_of_it(organisation, force_y):
    other = learner_in(force_y, "Yan Other", "Y-1")
    cohort = force_y.cohort("Y intake")
    add_member(cohort, other)
    assign(
        make_course("Y course", lessons=1),
        timezone.localdate(),
        force_y.organisation,
        force_y.trainer,
        cohort=cohort,
    )
    assert [row[0] for row in rows_of(force_y.client)] == ["Yan Other"]
    page = force_y.client.get(URL).content.decode()
    assert "Ada Done" not in page and "Response officers" not in page and "PC 101" not in page
    # Choosing the other organisation's cohort in the filter shows nothing of it either.
    assert [row[0] for row in rows_of(force_y.client, cohort=organisation.cohort.pk)] == [
        "Yan Other"
    ]
    exported = b"".join(force_y.client.get(reverse("reports:compliance_csv")).streaming_content)
    assert b"Ada Done" not in exported and b"Yan Other" in exported


def test_learners_are_refused_and_the_anonymous_sent_to_sign_in(organisation):
    client = Client()
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    sign_in(client, organisation.done.email)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("reports:compliance_csv")).status_code == 403


def test_a_trainer_without_a_second_factor_is_sent_to_set_one_up(organisation):
    trainer = UserFactory(role="Trainer", organisation=organisation.force.organisation)
    client = Client()
    sign_in(client, trainer.email)
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_filters_by_cohort_course_status_and_search(organisation):
    client = organisation.force.client
    assert [r[0] for r in rows_of(client, cohort=organisation.cohort.pk)] == [
        "Ada Done",
        "Ben Started",
        "Cal Idle",
    ]
    assert rows_of(client, course=organisation.other_course.pk) == [
        ("Dee Direct", "Airport course", "overdue")
    ]
    assert [r[0] for r in rows_of(client, status="in_progress")] == ["Ben Started"]
    assert [r[0] for r in rows_of(client, search="pc 102")] == ["Ben Started"]
    assert [r[0] for r in rows_of(client, search="Idle")] == ["Cal Idle"]
    assert [r[0] for r in rows_of(client, search=organisation.direct.email)] == ["Dee Direct"]
    # Nonsense filters are ignored rather than failing.
    assert len(rows_of(client, cohort="x", status="<b>", page="zz")) == 4


def test_the_chart_shows_each_cohorts_completion_rate_with_a_table(organisation):
    page = organisation.force.client.get(URL).content.decode()
    assert '<svg role="img"' in page and "<title" in page and "<desc" in page
    assert "Assigned courses completed (%)" in page
    assert "Completion rate per cohort as a table" in page
    (rate,) = organisation.force.client.get(URL).context["rates"]
    assert (rate.name, rate.total, rate.completed, rate.percent) == ("Response officers", 3, 1, 33)
    assert "<td>33%</td>" in page


def test_the_chart_says_so_when_there_is_nothing_to_show(force_x):
    response = force_x.client.get(URL)
    page = response.content.decode()
    assert "No figures yet" in page and "<svg" not in page
    assert "No learners match." in page


def test_the_table_is_in_a_labelled_scrolling_region(organisation):
    page = organisation.force.client.get(URL).content.decode()
    assert (
        '<div class="table-scroll" role="region" aria-labelledby="compliance-heading" '
        'tabindex="0">' in page
    )


@pytest.mark.parametrize("data", [{}, {"status": "completed"}, {"search": "a"}])
def test_the_page_keeps_to_its_query_budget_with_few_and_many_rows(force_x, production_cache, data):
    today = timezone.localdate()

    def grow(count, suffix):
        cohort = force_x.cohort(f"Cohort {suffix}", learners=count)
        for number in range(2):
            course = make_course(f"Course {suffix}{number}", lessons=1)
            assign(
                course,
                today + datetime.timedelta(days=5),
                force_x.organisation,
                force_x.trainer,
                cohort=cohort,
            )
            for learner in list(cohort.members.all())[:2]:
                record_progress(learner, course, items_done=1, completed=True)

    grow(2, "A")
    few = queries_for(force_x.client, URL, data=data)
    grow(30, "B")
    many = queries_for(force_x.client, URL, data=data)
    assert many == few


def set_course(force, course, days, **to):
    """Set a course of the force's for a cohort or one learner, due in `days` days."""
    due = timezone.localdate() + datetime.timedelta(days=days)
    return assign(course, due, force.organisation, force.trainer, **to)


def test_a_learner_in_two_cohorts_sharing_a_course_has_one_row_naming_both(organisation):
    """The earliest due date is the one they must meet, so it decides the status."""
    force = organisation.force
    second = force.cohort("Airport team")
    add_member(second, organisation.idle)
    set_course(force, organisation.course, -1, cohort=second)
    set_course(force, organisation.course, 30, user=organisation.idle)
    response = force.client.get(URL)
    idle_rows = [row for row in response.context["rows"] if row["learner_name"] == "Cal Idle"]
    (row,) = idle_rows
    assert row["status"] == "overdue"
    assert row["due_date"] == timezone.localdate() - datetime.timedelta(days=1)
    assert set(row["cohort_label"].split(", ")) == {
        "Airport team",
        "Response officers",
        "Assigned directly",
    }
    # The others are still one row each, and the export agrees with the page.
    assert len(response.context["rows"]) == 4
    exported = force.client.get(reverse("reports:compliance_csv")).getvalue().decode()
    assert exported.count("Cal Idle") == 1
    # Filtering by one cohort shows the row with that cohort only.
    (only,) = [
        row
        for row in force.client.get(URL, {"cohort": second.pk}).context["rows"]
        if row["learner_name"] == "Cal Idle"
    ]
    assert only["cohort_label"] == "Airport team"


def test_each_page_lists_some_learners_with_every_course_of_theirs(force_x):
    cohort = force_x.cohort("Big", learners=12)
    courses = [make_course(f"Course {n}", lessons=1) for n in range(2)]
    for course in courses:
        set_course(force_x, course, 5, cohort=cohort)
    first = force_x.client.get(URL).context
    second = force_x.client.get(URL, {"page": 2}).context
    assert first["page_obj"].paginator.count == 12
    assert len(first["rows"]) == 20 and len(second["rows"]) == 4
    names = [row["learner_name"] for row in first["rows"] + second["rows"]]
    assert len(set(names)) == 12
    assert all(names.count(name) == 2 for name in names)


def test_the_kept_chart_follows_progress_membership_and_assignments(organisation, production_cache):
    """The per-cohort counts are kept between requests; each change shows at once."""
    force = organisation.force

    def rate():
        return [(r.name, r.total, r.completed) for r in force.client.get(URL).context["rates"]]

    def listed():
        return force.client.get(URL).context["page_obj"].paginator.count

    assert rate() == [("Response officers", 3, 1)]
    assert listed() == 4
    record_progress(organisation.started, organisation.course, items_done=3, completed=True)
    # What learning.progress_summary does whenever it changes an enrolment's figures.
    figures_changed(organisation.course.path)
    assert rate() == [("Response officers", 3, 2)]
    newcomer = learner_in(force, "Eve New")
    add_member(organisation.cohort, newcomer)
    assert rate() == [("Response officers", 4, 2)]
    assert listed() == 5
    set_course(force, organisation.course, 0, user=learner_in(force, "Fay Alone"))
    assert listed() == 6
    set_course(force, organisation.other_course, 3, cohort=organisation.cohort)
    assert rate() == [("Response officers", 8, 2)]
    organisation.cohort.name = "First responders"
    organisation.cohort.save()
    assert rate() == [("First responders", 8, 2)]
    Assignment.objects.filter(cohort=organisation.cohort, course=organisation.other_course).delete()
    assert rate() == [("First responders", 4, 2)]
    newcomer.delete()
    assert rate() == [("First responders", 3, 2)] and listed() == 5


def test_the_kept_rows_follow_progress_names_staff_numbers_and_due_dates(
    organisation, production_cache
):
    """A page of the unfiltered table is kept between requests; whatever a row is read
    from changes it at once."""
    force = organisation.force

    def row_of(name):
        rows = force.client.get(URL).context["rows"]
        return next(
            row
            for row in rows
            if row["learner_name"] == name and row["course_title"] == "Core course"
        )

    cal = row_of("Cal Idle")
    assert (cal["status"], cal["staff_number"]) == ("not_started", "")
    # The learner finishes the course's lessons, as learning.progress records it.
    for lesson in organisation.course.get_children().specific():
        complete_lesson(organisation.idle, lesson)
    assert row_of("Cal Idle")["status"] == "completed"

    response = force.client.post(
        reverse("cohorts:set_staff_number", args=[organisation.started.pk]),
        {"staff_number": "PC 999"},
    )
    assert response.status_code in (200, 302)
    assert row_of("Ben Started")["staff_number"] == "PC 999"

    organisation.started.display_name = "Ben Renamed"
    organisation.started.save()
    assert row_of("Ben Renamed")["status"] == "in_progress"

    assignment = Assignment.objects.get(cohort=organisation.cohort)
    assignment.due_date = timezone.localdate() - datetime.timedelta(days=1)
    assignment.save()
    assert row_of("Ben Renamed")["status"] == "overdue"
    assert row_of("Ben Renamed")["due_date"] == assignment.due_date


def test_the_kept_filter_choices_follow_cohorts_assignments_and_course_titles(
    organisation, production_cache
):
    """The filters' cohorts and courses are kept between requests; each change shows at
    once, and a filter chosen from them still filters."""
    force = organisation.force

    def choices():
        form = force.client.get(URL).context["form"]
        return (
            [label for value, label in form.fields["cohort"].choices if value],
            [label for value, label in form.fields["course"].choices if value],
        )

    assert choices() == (["Response officers"], ["Airport course", "Core course"])
    organisation.cohort.name = "First responders"
    organisation.cohort.save()
    second = force.cohort("Airport team")
    assert choices()[0] == ["Airport team", "First responders"]

    third_course = make_course("Border course", lessons=1)
    set_course(force, third_course, 5, cohort=second)
    assert choices()[1] == ["Airport course", "Border course", "Core course"]

    third_course.title = "Border and ports course"
    third_course.save_revision().publish()
    assert choices()[1] == ["Airport course", "Border and ports course", "Core course"]

    deleted = second.pk
    second.delete()
    assert choices()[0] == ["First responders"]
    # A cohort no longer offered filters nothing.
    assert rows_of(force.client, cohort=deleted) == rows_of(force.client)
    filtered = rows_of(force.client, course=organisation.other_course.pk)
    assert filtered == [("Dee Direct", "Airport course", "overdue")]
