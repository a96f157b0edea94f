"""The reporting API as an HR system or Power BI sees it."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from audit.models import Action, AuditEvent
from cohorts.dashboard import learner_rows
from learning.progress import complete_lesson, enrol
from reports.models import ApiToken
from reports.tokens import revoke_token

LEARNERS = reverse("reporting_api:learners")
ASSIGNMENTS = reverse("reporting_api:assignments")
STATUSES = reverse("reporting_api:statuses")


def learner_url(user):
    return reverse("reporting_api:learner", args=[user.pk])


def test_learners_lists_members_with_staff_numbers_and_cohorts(org_x):
    first = org_x.learners[0]
    Membership.objects.filter(user=first, organisation=org_x.organisation).update(
        staff_number="ESR-0042"
    )
    response = org_x.api.get(LEARNERS)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["count"] == 4  # three learners and the trainer
    row = next(row for row in body["results"] if row["id"] == first.pk)
    assert row["staff_number"] == "ESR-0042"
    assert row["email"] == first.email
    assert row["name"] == first.display_name
    assert row["cohorts"] == [{"id": org_x.cohort.pk, "name": org_x.cohort.name}]


def test_another_organisations_token_sees_nothing_of_this_one(org_x, org_y, course):
    org_x.assign(course)
    for url in (LEARNERS, ASSIGNMENTS, STATUSES):
        text = org_y.api.get(url).content.decode()
        for learner in org_x.learners:
            assert learner.email not in text
        assert org_x.cohort.name not in text
    assert org_y.api.get(ASSIGNMENTS).json()["count"] == 0
    assert org_y.api.get(STATUSES).json()["count"] == 0


def test_a_learner_of_another_organisation_is_not_found(org_x, org_y):
    response = org_y.api.get(learner_url(org_x.learners[0]))
    assert response.status_code == 404
    assert response.json() == {"detail": "No Learner found matching the query."} or (
        "detail" in response.json()
    )
    assert org_x.api.get(learner_url(org_x.learners[0])).status_code == 200


@pytest.mark.parametrize(
    "header",
    [None, "Bearer rcg_not-a-real-token", "Bearer", "Token abc", "Bearer a b"],
)
def test_without_a_valid_token_the_api_answers_401_with_a_message(org_x, header):
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = client.get(LEARNERS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]


def test_a_signed_in_trainer_without_a_token_is_refused(org_x):
    response = org_x.signed_in_trainer().get(LEARNERS)
    assert response.status_code == 401


def test_a_revoked_token_is_refused_at_once(org_x):
    assert org_x.api.get(LEARNERS).status_code == 200
    revoke_token(org_x.token, org_x.trainer)
    response = org_x.api.get(LEARNERS)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(org_x, method):
    response = getattr(org_x.api, method)(LEARNERS, {}, content_type="application/json")
    assert response.status_code == 405
    assert response.json()["detail"]
    assert Membership.objects.filter(organisation=org_x.organisation).count() == 4


def test_too_many_requests_are_refused_with_retry_after(org_x, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reporting_api": (2, 60)}
    assert org_x.api.get(LEARNERS).status_code == 200
    assert org_x.api.get(LEARNERS).status_code == 200
    response = org_x.api.get(LEARNERS)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.json()["detail"]


def test_each_token_has_its_own_rate_limit(org_x, org_y, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "reporting_api": (1, 60)}
    assert org_x.api.get(LEARNERS).status_code == 200
    assert org_x.api.get(LEARNERS).status_code == 429
    assert org_y.api.get(LEARNERS).status_code == 200


def test_pages_are_limited_and_link_to_the_next(org_x):
    for _ in range(3):
        org_x.add_learner()
    first = org_x.api.get(LEARNERS, {"page_size": 2}).json()
    assert first["count"] == 7
    assert len(first["results"]) == 2
    assert first["next"]
    seen = {row["id"] for row in first["results"]}
    page = first
    while page["next"]:
        page = org_x.api.get(page["next"]).json()
        seen |= {row["id"] for row in page["results"]}
    assert len(seen) == 7
    assert len(org_x.api.get(LEARNERS, {"page_size": 10_000}).json()["results"]) == 7


def test_a_page_past_the_end_is_404_with_a_message(org_x):
    response = org_x.api.get(LEARNERS, {"page": 99})
    assert response.status_code == 404
    assert response.json()["detail"]


def test_assignments_list_course_cohort_and_due_date(org_x, course):
    cohort_assignment = org_x.assign(course, days=10)
    own = org_x.assign(course, days=20, user=org_x.learners[0])
    rows = {row["id"]: row for row in org_x.api.get(ASSIGNMENTS).json()["results"]}
    assert rows[cohort_assignment.pk]["cohort_id"] == org_x.cohort.pk
    assert rows[cohort_assignment.pk]["learner_id"] is None
    assert rows[cohort_assignment.pk]["course"] == {"id": course.pk, "title": course.title}
    assert rows[cohort_assignment.pk]["due_date"] == cohort_assignment.due_date.isoformat()
    assert rows[own.pk]["learner_id"] == org_x.learners[0].pk
    assert rows[own.pk]["cohort_id"] is None


def test_assignments_can_be_read_since_a_time(org_x, course):
    old = org_x.assign(course)
    type(old).objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    new = org_x.assign(course, days=20)
    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
    ids = [
        row["id"] for row in org_x.api.get(ASSIGNMENTS, {"updated_since": since}).json()["results"]
    ]
    assert ids == [new.pk]
    response = org_x.api.get(ASSIGNMENTS, {"updated_since": "last week"})
    assert response.status_code == 400
    assert response.json()["updated_since"]


def test_statuses_match_the_trainers_dashboard(org_x, course):
    """learning.rules decides each status: the API agrees with the cohort dashboard."""
    assignment = org_x.assign(course, days=10)
    done, started, _untouched = org_x.learners
    enrol(done, course)
    for lesson in course.lessons():
        complete_lesson(done, lesson)
    enrol(started, course)
    complete_lesson(started, course.lessons().first())
    expected = {row.pk: row.status for row in learner_rows(assignment)}
    rows = org_x.api.get(STATUSES).json()["results"]
    assert {row["learner_id"]: row["status"] for row in rows} == expected
    assert expected[done.pk] == "completed"
    assert expected[started.pk] == "in_progress"
    done_row = next(row for row in rows if row["learner_id"] == done.pk)
    assert done_row["completed_at"]
    assert done_row["course"]["title"] == course.title


def test_overdue_and_one_learners_assignments_have_statuses(org_x, course):
    late = org_x.assign(course, days=-1)
    own = org_x.assign(course, days=5, user=org_x.learners[0])
    rows = org_x.api.get(STATUSES).json()["results"]
    late_rows = [row for row in rows if row["assignment_id"] == late.pk]
    assert {row["status"] for row in late_rows} == {"overdue"}
    assert len(late_rows) == 3
    [own_row] = [row for row in rows if row["assignment_id"] == own.pk]
    assert own_row["status"] == "not_started"
    assert own_row["learner_id"] == org_x.learners[0].pk


def test_a_learners_record_lists_their_statuses(org_x, course):
    learner = org_x.learners[0]
    org_x.assign(course)
    body = org_x.api.get(learner_url(learner)).json()
    assert body["email"] == learner.email
    assert [row["status"] for row in body["statuses"]] == ["not_started"]


def test_a_certificate_still_valid_shows_its_expiry(org_x, course):
    learner = org_x.learners[0]
    org_x.assign(course, days=-5)
    enrolment = enrol(learner, course)
    expires = timezone.localdate() + datetime.timedelta(days=100)
    type(enrolment).objects.filter(pk=enrolment.pk).update(certificate_expires_on=expires)
    row = org_x.api.get(learner_url(learner)).json()["statuses"][0]
    assert row["status"] == "completed"
    assert row["certificate_valid"] is True
    assert row["certificate_expires_on"] == expires.isoformat()


def test_every_use_is_audited_and_last_use_noted(org_x):
    before = AuditEvent.objects.filter(action=Action.API_TOKEN_USED).count()
    org_x.api.get(LEARNERS)
    org_x.api.get(ASSIGNMENTS)
    events = AuditEvent.objects.filter(action=Action.API_TOKEN_USED).order_by("pk")
    assert events.count() == before + 2
    assert events.last().message == f"GET {ASSIGNMENTS}"
    assert org_x.token.prefix in events.last().actor_label
    assert events.last().data["organisation"] == org_x.organisation.pk
    assert ApiToken.objects.get(pk=org_x.token.pk).last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(org_x):
    org_x.api.get(LEARNERS)
    first = ApiToken.objects.get(pk=org_x.token.pk).last_used_at
    org_x.api.get(LEARNERS)
    assert ApiToken.objects.get(pk=org_x.token.pk).last_used_at == first


def test_api_answers_are_never_kept_by_shared_caches_and_are_not_sniffed(org_x):
    response = org_x.api.get(LEARNERS)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    refused = Client().get(LEARNERS)
    assert "no-store" in refused["Cache-Control"]
