import csv
import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import PageViewRestriction

from accounts.models import Membership, User
from certificates.issuing import issue_certificate_for
from cohorts.assigning import assign
from cohorts.dashboard import cohort_summaries, summarise
from cohorts.models import CohortMember
from courses.models import Enrolment, LessonCompletion
from learning import progress_summary
from quizzes.models import Attempt
from tests.factories import make_assessment, make_lesson, make_question
from tests.query_budgets import queries_for
from tests.signing_in import sign_in
from tests.trainer_jobs import downloaded

pytestmark = pytest.mark.django_db


def progress(learner, course, lessons=0, complete=False, score=None, when=None):
    enrolment = Enrolment.objects.get(user=learner, course=course)
    for lesson in list(course.lessons())[:lessons]:
        LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    if score is not None:
        final = course.get_children().type(__import__("quizzes").models.AssessmentPage).first()
        Attempt.objects.create(
            user=learner,
            assessment=final.specific,
            number=1,
            percent=score,
            passed=score >= 80,
            submitted_at=timezone.now(),
            max_score=1,
        )
    progress_summary.refresh(course.path, [enrolment.pk])
    if complete:
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=when or timezone.now())
        enrolment.refresh_from_db()
        issue_certificate_for(enrolment)


@pytest.fixture
def varied(force_x, course, assigned_cohort):
    make_assessment(course, [make_question("Q?")])
    done, started, idle, _fourth = list(assigned_cohort.members.order_by("pk"))
    progress(done, course, lessons=3, complete=True, score=90)
    progress(started, course, lessons=1, score=40)
    return assigned_cohort, {"done": done, "started": started, "idle": idle}


def test_dashboard_counts_rate_chart_and_table(force_x, varied, course):
    cohort, people = varied
    response = force_x.client.get(reverse("cohorts:dashboard", args=[cohort.pk]))
    summary = response.context["summary"]
    assert (
        summary.total,
        summary.completed,
        summary.in_progress,
        summary.not_started,
        summary.overdue,
    ) == (4, 1, 1, 2, 0)
    assert summary.completion_rate == 25
    page = response.content.decode()
    assert "25% complete" in page
    assert (
        '<svg role="img"' in page and "<title" in page and "Completions per week as a table" in page
    )
    rows = {row.email: row for row in response.context["page_obj"]}
    assert rows[people["done"].email].status == "completed"
    assert rows[people["done"].email].best_score == 90
    assert rows[people["done"].email].certificate_label == "Valid"
    assert rows[people["started"].email].progress_percent == 25
    assert sum(count for _week, count in response.context["series"]) == 1


def test_progress_follows_the_courses_required_items_as_pages_change(
    force_x, varied, course, production_cache
):
    """The number of required items is kept between visits; page changes must show."""
    cohort, people = varied
    url = reverse("cohorts:dashboard", args=[cohort.pk])

    def progress_of_started_learner():
        rows = {row.email: row for row in force_x.client.get(url).context["page_obj"]}
        return rows[people["started"].email].progress_percent

    # One lesson done of three lessons and the final assessment.
    assert progress_of_started_learner() == 25
    assert progress_of_started_learner() == 25
    extra = make_lesson(course, "Working with interpreters")
    assert progress_of_started_learner() == 20
    # A private lesson is not counted, and is counted again once it is public.
    restriction = PageViewRestriction.objects.create(
        page=extra, restriction_type=PageViewRestriction.LOGIN
    )
    assert progress_of_started_learner() == 25
    restriction.delete()
    assert progress_of_started_learner() == 20
    extra.unpublish()
    assert progress_of_started_learner() == 25


def test_overdue_after_the_due_date(force_x, varied, course):
    cohort, _people = varied
    # Time passes: everyone joined before the due date, which is now behind them.
    cohort.memberships.update(added_at=timezone.now() - datetime.timedelta(days=3))
    cohort.assignments.update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    summary = force_x.client.get(reverse("cohorts:dashboard", args=[cohort.pk])).context["summary"]
    assert (summary.completed, summary.overdue, summary.in_progress, summary.not_started) == (
        1,
        3,
        0,
        0,
    )


def test_table_filters_and_sorts(force_x, varied):
    cohort, people = varied
    url = reverse("cohorts:dashboard", args=[cohort.pk])
    rows = force_x.client.get(url, {"status": "in_progress"}).context["page_obj"]
    assert [row.email for row in rows] == [people["started"].email]
    rows = list(force_x.client.get(url, {"sort": "score"}).context["page_obj"])
    assert rows[0].email == people["done"].email
    assert (
        force_x.client.get(url, {"sort": "'; DROP", "status": "<x>", "page": "zz"}).status_code
        == 200
    )


def test_csv_and_xlsx_exports_neutralise_formulas(force_x, varied):
    cohort, people = varied
    people["idle"].display_name = '=HYPERLINK("http://evil")'
    people["idle"].save()
    response = force_x.client.get(reverse("cohorts:export_csv", args=[cohort.pk]))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "Name" and len(table) == 5
    assert '\'=HYPERLINK("http://evil")' in [row[0] for row in table]

    response = force_x.client.post(reverse("cohorts:export_xlsx", args=[cohort.pk]))
    workbook = load_workbook(io.BytesIO(downloaded(force_x.client, response)))
    values = [row[0] for row in workbook.active.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in values and len(values) == 5


def test_certificates_zip(force_x, varied):
    cohort, people = varied
    response = force_x.client.post(reverse("cohorts:certificates_zip", args=[cohort.pk]))
    archive = zipfile.ZipFile(io.BytesIO(downloaded(force_x.client, response)))
    (name,) = archive.namelist()
    assert name.endswith(".pdf") and archive.read(name).startswith(b"%PDF")


def test_learner_detail_shows_scores_not_answers(force_x, varied, course):
    _cohort, people = varied
    page = force_x.client.get(reverse("cohorts:learner", args=[people["done"].pk])).content.decode()
    assert course.title in page and "90%" in page
    assert "Your answer" not in page and "Q?" not in page


def test_another_organisations_trainer_gets_404_everywhere(force_x, force_y, varied):
    cohort, people = varied
    for url in [
        reverse("cohorts:dashboard", args=[cohort.pk]),
        reverse("cohorts:members", args=[cohort.pk]),
        reverse("cohorts:assign", args=[cohort.pk]),
        reverse("cohorts:export_csv", args=[cohort.pk]),
        reverse("cohorts:export_xlsx", args=[cohort.pk]),
        reverse("cohorts:certificates_zip", args=[cohort.pk]),
        reverse("cohorts:learner", args=[people["done"].pk]),
    ]:
        assert force_y.client.get(url).status_code == 404, url
    overview = force_y.client.get(reverse("cohorts:overview")).content.decode()
    assert cohort.name not in overview


def test_learners_get_403_on_trainer_pages(client, varied):
    cohort, people = varied
    sign_in(client, people["idle"].email)
    assert client.get(reverse("cohorts:overview")).status_code == 403
    assert client.get(reverse("cohorts:dashboard", args=[cohort.pk])).status_code == 403


def test_organisation_overview_aggregates_cohorts(force_x, varied, course):
    second = force_x.cohort("Second intake", learners=2)
    assign(
        course,
        timezone.localdate() + datetime.timedelta(days=3),
        force_x.organisation,
        force_x.trainer,
        cohort=second,
    )
    totals = force_x.client.get(reverse("cohorts:overview")).context["totals"]
    assert (totals.total, totals.completed) == (6, 1)


@pytest.mark.parametrize("size", [10, 1000])
def test_dashboard_and_overview_queries_do_not_grow_with_learners(
    force_x, course, size, production_cache
):
    cohort = force_x.cohort()
    assign(
        course,
        timezone.localdate() + datetime.timedelta(days=3),
        force_x.organisation,
        force_x.trainer,
        cohort=cohort,
    )

    users = User.objects.bulk_create(
        [
            User(email=f"bulk{size}-{n}@example.org", display_name=f"Learner {n:04d}")
            for n in range(size)
        ]
    )
    CohortMember.objects.bulk_create([CohortMember(cohort=cohort, user=user) for user in users])
    Membership.objects.bulk_create(
        [Membership(organisation=force_x.organisation, user=user) for user in users]
    )
    Enrolment.objects.bulk_create([Enrolment(user=user, course=course) for user in users])
    dashboard = reverse("cohorts:dashboard", args=[cohort.pk])

    def forget_kept_figures():
        progress_summary.figures_changed(course.path)

    assert queries_for(force_x.client, dashboard, forget=forget_kept_figures) == DASHBOARD_QUERIES
    # Nothing changed since: the figures and the course's required items are kept.
    assert queries_for(force_x.client, dashboard, rendered=False) == DASHBOARD_KEPT_FIGURES_QUERIES
    assert queries_for(force_x.client, reverse("cohorts:overview")) == OVERVIEW_QUERIES


# The summary is counted in one query over the members and their enrolments.
DASHBOARD_QUERIES = 7
# With the summary, the weekly chart and the number of required items kept from an
# earlier visit.
DASHBOARD_KEPT_FIGURES_QUERIES = 4
OVERVIEW_QUERIES = 8


@pytest.mark.parametrize("due_in_days", [10, -1])
def test_overview_and_dashboard_count_every_status_alike(force_x, varied, course, due_in_days):
    cohort, _people = varied
    assignment = cohort.assignments.get()
    assignment.due_date = timezone.localdate() + datetime.timedelta(days=due_in_days)
    assignment.save()

    one = summarise(assignment)
    assert cohort_summaries([assignment])[assignment.pk] == one
    assert one.total == 4 and one.completed == 1


@pytest.mark.parametrize("cohorts", [1, 6])
def test_overview_queries_do_not_grow_with_cohorts(force_x, course, cohorts, production_cache):
    for number in range(cohorts):
        assign(
            course,
            timezone.localdate() + datetime.timedelta(days=3),
            force_x.organisation,
            force_x.trainer,
            cohort=force_x.cohort(name=f"Intake {number}", learners=2),
        )
    assert queries_for(force_x.client, reverse("cohorts:overview")) == OVERVIEW_QUERIES
