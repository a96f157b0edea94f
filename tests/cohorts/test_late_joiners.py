"""Someone who joins a cohort after an assignment was due is not overdue at once: they
get a due date of their own, as the trainer chose when assigning."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cohorts import dashboard
from cohorts.assigning import add_member, assign, assignments_for_learner
from cohorts.models import Assignment, AssignmentReminder, CohortMember
from cohorts.reminders import send_learner_reminders
from learning.rules import Status
from tests.factories import UserFactory

TODAY = timezone.localdate()


def days(n):
    return datetime.timedelta(days=n)


def backdate(assignment, assigned_days_ago, due_days_ago, **terms):
    """An assignment made `assigned_days_ago` and due `due_days_ago`."""
    Assignment.objects.filter(pk=assignment.pk).update(
        created_at=timezone.now() - days(assigned_days_ago),
        due_date=TODAY - days(due_days_ago),
        **terms,
    )
    assignment.refresh_from_db()
    return assignment


def joined(cohort, learner, days_ago):
    CohortMember.objects.filter(cohort=cohort, user=learner).update(
        added_at=timezone.now() - days(days_ago)
    )


@pytest.fixture
def overdue_cohort(force_x, course):
    """A cohort given 30 days for the course, due 10 days ago; one learner joined in time
    and did nothing, the others join now."""
    cohort = force_x.cohort()
    on_time = UserFactory(role="Learner", organisation=force_x.organisation)
    add_member(cohort, on_time)
    joined(cohort, on_time, 45)
    assignment = assign(course, TODAY, force_x.organisation, force_x.trainer, cohort=cohort)
    backdate(assignment, assigned_days_ago=40, due_days_ago=10)
    return cohort, assignment, on_time


def statuses(assignment):
    return {row.pk: row.status for row in dashboard.learner_rows(assignment, TODAY)}


def test_a_late_joiner_gets_the_same_time_from_joining_and_is_not_overdue(force_x, overdue_cohort):
    cohort, assignment, on_time = overdue_cohort
    late = UserFactory(role="Learner", organisation=force_x.organisation)
    add_member(cohort, late)

    assert statuses(assignment) == {on_time.pk: Status.OVERDUE, late.pk: Status.NOT_STARTED}
    summary = dashboard.summarise(assignment, TODAY)
    assert (summary.overdue, summary.not_started) == (1, 1)
    (mine,) = assignments_for_learner(late)
    assert mine.learner_due_date == TODAY + days(30)
    assert not mine.is_overdue

    # Thirty-one days after joining, their own date has passed too.
    joined(cohort, late, 31)
    assert statuses(assignment)[late.pk] == Status.OVERDUE
    assert dashboard.summarise(assignment, TODAY).overdue == 2


def test_a_late_joiner_gets_the_date_the_trainer_chose(force_x, overdue_cohort):
    cohort, assignment, _on_time = overdue_cohort
    backdate(
        assignment,
        assigned_days_ago=40,
        due_days_ago=10,
        late_joiners=Assignment.LateJoiners.DATE,
        late_due_date=TODAY + days(5),
    )
    late = UserFactory(role="Learner", organisation=force_x.organisation)
    add_member(cohort, late)
    (mine,) = assignments_for_learner(late)
    assert mine.learner_due_date == TODAY + days(5)
    assert statuses(assignment)[late.pk] == Status.NOT_STARTED

    six_days_on = TODAY + days(6)
    rows = {row.pk: row.status for row in dashboard.learner_rows(assignment, six_days_on)}
    assert rows[late.pk] == Status.OVERDUE


def test_every_count_agrees_with_the_rows(force_x, overdue_cohort):
    cohort, assignment, _on_time = overdue_cohort
    for _ in range(3):
        add_member(cohort, UserFactory(role="Learner", organisation=force_x.organisation))
    counted = dashboard.summarise(assignment, TODAY)
    by_rows = list(statuses(assignment).values())
    assert counted.overdue == by_rows.count(Status.OVERDUE) == 1
    assert counted.not_started == by_rows.count(Status.NOT_STARTED) == 3
    assert dashboard.cohort_summaries([assignment], TODAY)[assignment.pk] == counted


def test_the_dashboard_shows_a_late_joiners_own_due_date(force_x, overdue_cohort):
    cohort, assignment, _on_time = overdue_cohort
    late = UserFactory(role="Learner", organisation=force_x.organisation, display_name="Sam Late")
    add_member(cohort, late)
    page = force_x.client.get(reverse("cohorts:dashboard", args=[cohort.pk]))
    row = next(
        tr
        for tr in BeautifulSoup(page.content, "html.parser").select("tbody tr")
        if "Sam Late" in tr.get_text()
    )
    own = (TODAY + days(30)).strftime("%-d %B %Y")
    assert f"Joined late: due {own}" in row.get_text(" ", strip=True)
    assert "Overdue" not in row.get_text()


def test_reminders_follow_each_learners_own_date(force_x, overdue_cohort):
    cohort, assignment, on_time = overdue_cohort
    late = UserFactory(role="Learner", organisation=force_x.organisation)
    add_member(cohort, late)
    mail.outbox.clear()
    send_learner_reminders(TODAY)
    reminded = set(AssignmentReminder.objects.values_list("user_id", "kind"))
    assert reminded == {(on_time.pk, AssignmentReminder.Kind.OVERDUE)}
    assert [message.to for message in mail.outbox] == [[on_time.email]]


def test_the_notice_a_late_joiner_gets_carries_their_own_date(
    force_x, overdue_cohort, django_capture_on_commit_callbacks
):
    cohort, _assignment, _on_time = overdue_cohort
    late = UserFactory(role="Learner", organisation=force_x.organisation)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_member(cohort, late)
    (notice,) = [message for message in mail.outbox if message.to == [late.email]]
    own = TODAY + days(30)
    assert own.strftime("%-d %B %Y") in notice.body
    (_name, ics, _type) = notice.attachments[0]
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert event.decoded("dtstart") == own


def test_the_trainer_chooses_a_date_for_late_joiners_when_assigning(force_x, course):
    cohort = force_x.cohort(learners=1)
    url = reverse("cohorts:assign", args=[cohort.pk])
    due = TODAY + days(14)
    form = {
        "courses": [course.pk],
        "due_date": due.isoformat(),
        "late_joiners": "date",
    }
    page = force_x.client.post(url, form)
    assert "Enter the date for people who join late." in page.content.decode()
    page = force_x.client.post(url, {**form, "late_due_date": due.isoformat()})
    assert "must be after the due date" in page.content.decode()
    assert not Assignment.objects.exists()

    response = force_x.client.post(url, {**form, "late_due_date": (due + days(7)).isoformat()})
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.late_joiners, assignment.late_due_date) == ("date", due + days(7))


def test_the_dashboard_opens_on_the_course_just_assigned(force_x, course):
    cohort = force_x.cohort(learners=1)
    first = assign(course, TODAY + days(60), force_x.organisation, force_x.trainer, cohort=cohort)
    Assignment.objects.filter(pk=first.pk).update(created_at=timezone.now() - days(3))
    newer = assign(course, TODAY + days(90), force_x.organisation, force_x.trainer, cohort=cohort)
    page = force_x.client.get(reverse("cohorts:dashboard", args=[cohort.pk]))
    assert page.context["assignment"] == newer


def test_add_learners_keeps_only_the_addresses_that_failed_and_lists_members(force_x):
    cohort = force_x.cohort()
    first, second = (
        UserFactory(role="Learner", organisation=force_x.organisation) for _ in range(2)
    )
    members_url = reverse("cohorts:members", args=[cohort.pk])
    response = force_x.client.post(
        members_url,
        {
            "action": "addresses",
            "addresses-addresses": f"{first.email}\nnot-an-address\n{second.email}",
        },
    )
    job_page = force_x.client.get(response["Location"])
    retry = BeautifulSoup(job_page.content, "html.parser").find(
        "a", string=lambda text: text and "try again" in text
    )
    assert retry is not None
    page = force_x.client.get(retry["href"])
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find("textarea").get_text().strip() == "not-an-address"
    recent = soup.find(id="recent-heading").find_parent("section")
    assert first.email in recent.get_text() and second.email in recent.get_text()
