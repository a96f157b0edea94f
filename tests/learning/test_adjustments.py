"""Reasonable adjustments to assessment time limits: the rule, the attempt, the pages."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from courses.models import Enrolment
from learning.adjustments import (
    extended_minutes,
    remove_adjustment,
    set_adjustment,
    time_limit_for,
)
from learning.attempts import start_attempt
from learning.models import TimeAdjustment
from quizzes.models import Attempt
from tests.factories import UserFactory, make_assessment, make_course, make_question
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

pytestmark = pytest.mark.django_db

EXTRA, NO_LIMIT = TimeAdjustment.Kind.EXTRA_TIME, TimeAdjustment.Kind.NO_LIMIT


@pytest.fixture
def course():
    return make_course("Core course", lessons=1)


@pytest.fixture
def question():
    return make_question("Can a child consent?", options=(("Yes", False), ("No", True)))


@pytest.fixture
def timed(course, question):
    return make_assessment(course, [question], time_limit_minutes=30)


@pytest.fixture
def other_timed(question):
    other = make_course("Police course", lessons=1)
    return make_assessment(other, [question], time_limit_minutes=20)


@pytest.fixture
def learner(course):
    user = UserFactory(role="Learner")
    Enrolment.objects.create(user=user, course=course)
    return user


def adjust(learner, assessment=None, percent=None):
    return TimeAdjustment.objects.create(
        learner=learner,
        assessment=assessment,
        kind=NO_LIMIT if percent is None else EXTRA,
        extra_percent=percent,
    )


# The rule ------------------------------------------------------------------------------


def test_without_an_adjustment_the_assessments_own_limit_applies(learner, timed):
    limit = time_limit_for(learner, timed)
    assert limit.minutes == 30 and limit.adjustment is None


def test_an_adjustment_for_all_assessments_applies_to_each(learner, timed, other_timed):
    adjust(learner, percent=50)
    assert time_limit_for(learner, timed).minutes == 45
    assert time_limit_for(learner, other_timed).minutes == 30


def test_the_specific_adjustment_beats_the_general_one(learner, timed, other_timed):
    adjust(learner, percent=25)
    adjust(learner, timed, percent=100)
    assert time_limit_for(learner, timed).minutes == 60
    assert time_limit_for(learner, timed).label == "100% extra time"
    # Elsewhere the general one still applies.
    assert time_limit_for(learner, other_timed).minutes == 25


def test_a_specific_no_limit_beats_general_extra_time(learner, timed):
    adjust(learner, percent=25)
    adjust(learner, timed)
    assert time_limit_for(learner, timed).minutes is None


def test_another_learners_adjustment_changes_nothing(learner, timed):
    adjust(UserFactory(role="Learner"), percent=100)
    assert time_limit_for(learner, timed).minutes == 30


@pytest.mark.parametrize(
    ("minutes", "percent", "expected"),
    [(30, 50, 45), (45, 25, 57), (10, 33, 14), (1, 25, 2), (20, 100, 40), (7, 50, 11)],
)
def test_extra_time_is_rounded_up_to_a_whole_minute(minutes, percent, expected):
    assert extended_minutes(minutes, percent) == expected


def test_an_assessment_without_a_limit_stays_without_one(learner, course, question):
    untimed = make_assessment(course, [question], slug="untimed", title="Untimed")
    adjust(learner, percent=50)
    limit = time_limit_for(learner, untimed)
    assert limit.minutes is None and limit.code == ""


def test_one_adjustment_per_learner_per_assessment_and_one_for_all(learner, timed):
    adjust(learner, percent=50)
    adjust(learner, timed, percent=50)
    with pytest.raises(IntegrityError), transaction.atomic():
        adjust(learner, percent=100)
    with pytest.raises(IntegrityError), transaction.atomic():
        adjust(learner, timed)
    assert TimeAdjustment.objects.count() == 2


# The attempt ---------------------------------------------------------------------------


def test_an_attempt_records_the_limit_and_adjustment_it_ran_under(learner, timed):
    adjust(learner, percent=50)
    before = timezone.now()
    attempt = start_attempt(learner, timed)
    assert attempt.time_limit_minutes == 45
    assert attempt.adjustment_label == "50% extra time"
    assert (
        before + timedelta(minutes=45) <= attempt.deadline <= timezone.now() + timedelta(minutes=45)
    )


def test_no_limit_means_no_deadline(learner, timed):
    adjust(learner, timed)
    attempt = start_attempt(learner, timed)
    assert attempt.deadline is None and attempt.time_limit_minutes is None
    assert attempt.adjustment_label == "no time limit"


def test_without_an_adjustment_the_attempt_has_the_assessments_limit(learner, timed):
    attempt = start_attempt(learner, timed)
    assert attempt.time_limit_minutes == 30 and attempt.adjustment == ""
    assert attempt.deadline - attempt.started_at == pytest.approx(
        timedelta(minutes=30), abs=timedelta(seconds=5)
    )


def test_an_open_attempt_keeps_its_own_limit_when_the_adjustment_changes(learner, timed):
    attempt = start_attempt(learner, timed)
    adjust(learner, percent=100)
    again = start_attempt(learner, timed)
    assert again.pk == attempt.pk
    again.refresh_from_db()
    assert again.time_limit_minutes == 30 and again.deadline == attempt.deadline


# What the learner sees -----------------------------------------------------------------


def signed_in(user):
    client = Client()
    sign_in(client, user.email)
    return client


def test_the_assessment_page_shows_the_learners_adjusted_time(learner, timed):
    adjust(learner, percent=50)
    page = signed_in(learner).get(timed.url).content.decode()
    assert "You have 45 minutes (your adjustment: 50% extra time)." in page


def test_the_assessment_page_shows_no_time_limit(learner, timed):
    adjust(learner, timed)
    page = signed_in(learner).get(timed.url).content.decode()
    assert "You have no time limit (your adjustment)." in page


def test_the_assessment_page_says_how_to_ask_for_an_adjustment(learner, timed):
    page = signed_in(learner).get(timed.url).content.decode()
    assert "your adjustment" not in page
    assert "If you need more time or another adjustment, ask your trainer" in page
    assert reverse("accessibility") + "#adjustments-heading" in page
    statement = Client().get(reverse("accessibility")).content.decode()
    assert "Time limits in assessments, and adjustments" in statement


def test_someone_elses_adjustment_is_not_shown(learner, timed):
    adjust(UserFactory(role="Learner"), percent=100)
    page = signed_in(learner).get(timed.url).content.decode()
    assert "your adjustment:" not in page


def test_the_attempt_page_gives_the_attempts_own_limit(learner, timed):
    adjust(learner, percent=50)
    client = signed_in(learner)
    client.post(reverse("learning:start", args=[timed.pk]))
    attempt = Attempt.objects.get(user=learner)
    page = client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert "Time limit: 45 minutes" in page
    assert "This includes your adjustment: 50% extra time." in page


def test_the_assessment_page_in_welsh(learner, timed):
    adjust(learner, percent=50)
    client = signed_in(learner)
    client.post(reverse("switch_language"), {"language": "cy", "next": "/cy/"})
    page = client.get(timed.url.replace("/en/", "/cy/", 1)).content.decode()
    assert "Mae gennych 45 munud (eich addasiad: 50% o amser ychwanegol)." in page
    assert "gofynnwch i'ch hyfforddwr" in page


# Administrators, in the admin -----------------------------------------------------------


@pytest.fixture
def admin_client():
    admin = UserFactory(is_superuser=True, is_staff=True, email="admin@example.org")
    client = Client()
    sign_in_with_totp(client, admin, enrol_totp(admin))
    client.user = admin
    return client


def admin_form(learner, assessment=None, kind="extra_time", percent="50", note=""):
    return {
        "learner": learner.email.upper(),
        "assessment": str(assessment.pk) if assessment else "",
        "kind": kind,
        "extra_percent": percent,
        "note": note,
    }


def test_an_administrator_sets_changes_and_removes_an_adjustment(admin_client, learner, timed):
    listing = admin_client.get(reverse("time_adjustments:add")).content.decode()
    assert "Core course – Final assessment" in listing

    response = admin_client.post(
        reverse("time_adjustments:add"), admin_form(learner, timed, note="Uses a screen reader.")
    )
    assert response.status_code == 302
    adjustment = TimeAdjustment.objects.get()
    assert (adjustment.learner, adjustment.assessment_id, adjustment.extra_percent) == (
        learner,
        timed.pk,
        50,
    )
    assert adjustment.set_by == admin_client.user

    response = admin_client.post(
        reverse("time_adjustments:edit", args=[adjustment.pk]),
        admin_form(learner, timed, kind="no_limit", percent=""),
    )
    assert response.status_code == 302
    adjustment.refresh_from_db()
    assert adjustment.kind == NO_LIMIT and adjustment.extra_percent is None

    listing = admin_client.get(reverse("time_adjustments:index")).content.decode()
    assert learner.email in listing

    response = admin_client.post(reverse("time_adjustments:delete", args=[adjustment.pk]))
    assert response.status_code == 302
    assert not TimeAdjustment.objects.exists()

    events = AuditEvent.objects.filter(action__startswith="adjustment.").order_by("pk")
    assert [(event.action, event.actor) for event in events] == [
        (Action.ADJUSTMENT_SET, admin_client.user),
        (Action.ADJUSTMENT_CHANGED, admin_client.user),
        (Action.ADJUSTMENT_REMOVED, admin_client.user),
    ]
    assert "Uses a screen reader" not in " ".join(event.message for event in events)


def test_the_admin_refuses_a_second_adjustment_for_the_same_place(admin_client, learner, timed):
    TimeAdjustment.objects.create(learner=learner, extra_percent=25)
    response = admin_client.post(reverse("time_adjustments:add"), admin_form(learner))
    assert response.status_code == 200
    assert "already has an adjustment for every assessment" in response.content.decode()
    response = admin_client.post(reverse("time_adjustments:add"), admin_form(learner, percent=""))
    assert "Give the extra time as a percentage." in response.content.decode()
    response = admin_client.post(
        reverse("time_adjustments:add"), {**admin_form(learner, timed), "learner": "x@y.org"}
    )
    assert "No account has this email address." in response.content.decode()
    assert list(TimeAdjustment.objects.values_list("extra_percent", flat=True)) == [25]
    assert not AuditEvent.objects.filter(action__startswith="adjustment.").exists()


def test_only_administrators_reach_the_admin_list(learner):
    publisher = UserFactory(role="Publisher")
    client = Client()
    sign_in_with_totp(client, publisher, enrol_totp(publisher))
    assert client.get(reverse("time_adjustments:index")).status_code == 403
    assert "Time adjustments" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_removing_twice_at_once_records_one_removal(learner):
    adjustment = adjust(learner, percent=50)
    stale = TimeAdjustment.objects.get(pk=adjustment.pk)
    remove_adjustment(adjustment)
    remove_adjustment(stale)
    assert AuditEvent.objects.filter(action=Action.ADJUSTMENT_REMOVED).count() == 1


def test_setting_where_one_was_just_made_changes_that_one(learner, timed, monkeypatch):
    # Another request creates one between this one's look-up and its insert.
    real_first = type(TimeAdjustment.objects.none()).first
    calls = []

    def first_after_a_rival(queryset):
        found = real_first(queryset)
        if queryset.model is TimeAdjustment and not calls:
            calls.append(1)
            adjust(learner, timed, percent=25)
            return None
        return found

    monkeypatch.setattr(type(TimeAdjustment.objects.none()), "first", first_after_a_rival)
    adjustment, created = set_adjustment(learner, timed, EXTRA, 100, "", None)
    assert not created
    assert list(TimeAdjustment.objects.values_list("pk", "extra_percent")) == [(adjustment.pk, 100)]
