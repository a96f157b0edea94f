"""Sending waits out an LRS that is down or refuses the credentials: the learner never
notices, the statement stays in the outbox, and a later try delivers it exactly once."""

import datetime
import io
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from courses.models import Enrolment
from recognise.privacy.personal_data import erase_account
from tests.factories import OrganisationFactory, make_course
from tests.xapi.conftest import SECRET
from xapi.models import StatementDelivery
from xapi.tasks import MAX_TRIES, deliver_statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Northshire Police", sector="police")


@pytest.fixture
def course():
    return make_course("Recognising trafficked children", lessons=2)


@pytest.fixture
def member(client, learner, organisation, course):
    learner.memberships.create(organisation=organisation)
    Enrolment.objects.create(user=learner, course=course)
    client.force_login(learner)
    return learner


def complete_first_lesson(client, course, capture, execute=True):
    lesson = course.lessons().first()
    with capture(execute=execute):
        response = client.post(reverse("learning:complete_lesson", args=[lesson.pk]), follow=True)
    assert response.status_code == 200
    assert f"You completed the lesson “{lesson.title}”." in response.content.decode()
    return lesson


def a_while_later(delivery):
    """The wait before the next try has passed."""
    StatementDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_an_lrs_that_is_down_is_tried_again_and_gets_the_statement_once(
    client, member, organisation, course, lrs_of, ralph, django_capture_on_commit_callbacks
):
    lrs_of(organisation)
    ralph.stop()
    before = timezone.now()

    complete_first_lesson(client, course, django_capture_on_commit_callbacks)

    delivery = StatementDelivery.objects.get()
    assert delivery.status == StatementDelivery.Status.PENDING
    assert delivery.attempts == 1
    assert delivery.next_attempt_at > before + datetime.timedelta(minutes=4)
    assert "could not be reached" in delivery.last_error

    ralph.start()
    call_command("send_lrs_statements")  # not due yet: nothing is sent
    assert ralph.statements_about(member) == []

    a_while_later(delivery)
    call_command("send_lrs_statements")
    call_command("send_lrs_statements")

    delivery.refresh_from_db()
    assert delivery.status == StatementDelivery.Status.SENT
    assert delivery.attempts == 2
    [statement] = ralph.statements_about(member)
    assert statement["id"] == str(delivery.statement_id)


def test_sending_a_statement_again_after_an_unknown_outcome_is_harmless(
    client, member, organisation, course, lrs_of, running_ralph, django_capture_on_commit_callbacks
):
    lrs_of(organisation)
    complete_first_lesson(client, course, django_capture_on_commit_callbacks)
    delivery = StatementDelivery.objects.get()
    # The LRS stored it but the answer was lost: the row still says it is waiting.
    StatementDelivery.objects.filter(pk=delivery.pk).update(status="pending", sent_at=None)

    deliver_statement.call(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == StatementDelivery.Status.SENT
    assert len(running_ralph.statements_about(member)) == 1


def test_wrong_credentials_are_recorded_retried_and_then_given_up(
    client,
    member,
    organisation,
    course,
    lrs_of,
    running_ralph,
    caplog,
    django_capture_on_commit_callbacks,
):
    lrs_of(organisation, secret="not-the-secret")

    complete_first_lesson(client, course, django_capture_on_commit_callbacks)

    delivery = StatementDelivery.objects.get()
    assert delivery.status == StatementDelivery.Status.PENDING
    assert delivery.attempts == 1
    assert "401" in delivery.last_error
    assert running_ralph.statements_about(member) == []

    with caplog.at_level(logging.ERROR, logger="xapi.tasks"):
        for _try in range(2, MAX_TRIES + 1):
            a_while_later(delivery)
            call_command("send_lrs_statements")
    delivery.refresh_from_db()
    assert delivery.status == StatementDelivery.Status.FAILED
    assert delivery.attempts == MAX_TRIES
    assert delivery.next_attempt_at is None
    assert f"given up after {MAX_TRIES} tries" in caplog.text
    call_command("send_lrs_statements")
    delivery.refresh_from_db()
    assert delivery.attempts == MAX_TRIES

    # The organisation fixes its credentials; the operators send what was given up.
    delivery.store.secret = SECRET
    delivery.store.save()
    call_command("send_lrs_statements", retry_given_up=True)
    delivery.refresh_from_db()
    assert delivery.status == StatementDelivery.Status.SENT
    assert [s["id"] for s in running_ralph.statements_about(member)] == [str(delivery.statement_id)]


def test_the_database_queue_tries_again_later_with_growing_waits(
    client,
    member,
    organisation,
    course,
    lrs_of,
    ralph,
    settings,
    django_capture_on_commit_callbacks,
):
    """With the production queue the failed task is queued again to run after the wait,
    and each wait is longer than the one before."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    lrs_of(organisation)
    ralph.stop()
    # The queued first try is left in the queue; the test runs the tries by hand.
    complete_first_lesson(client, course, django_capture_on_commit_callbacks, execute=False)
    delivery = StatementDelivery.objects.get()

    waits = []
    for _try in range(3):
        started = timezone.now()
        deliver_statement.call(delivery.pk)
        delivery.refresh_from_db()
        waits.append(delivery.next_attempt_at - started)
        queued = DBTaskResult.objects.filter(args_kwargs__args=[delivery.pk]).latest("enqueued_at")
        assert queued.run_after == delivery.next_attempt_at
    assert waits[0] < waits[1] < waits[2]
    assert delivery.attempts == 3


def test_erasing_an_account_removes_its_statements_from_the_outbox(
    client, member, organisation, course, lrs_of, ralph, django_capture_on_commit_callbacks
):
    lrs_of(organisation)
    ralph.stop()
    complete_first_lesson(client, course, django_capture_on_commit_callbacks)
    assert StatementDelivery.objects.filter(status="pending").count() == 1

    erase_account(member)

    assert not StatementDelivery.objects.exists()


def test_the_hourly_command_deletes_statements_sent_over_thirty_days_ago(
    member, organisation, lrs_of
):
    store = lrs_of(organisation)
    now = timezone.now()

    def delivery(status, sent_days_ago=None):
        sent_at = now - datetime.timedelta(days=sent_days_ago) if sent_days_ago else None
        return StatementDelivery.objects.create(
            store=store,
            learner=member,
            statement={},
            status=status,
            sent_at=sent_at,
            next_attempt_at=now + datetime.timedelta(hours=1),
        )

    old = delivery("sent", sent_days_ago=31)
    recent = delivery("sent", sent_days_ago=29)
    waiting = delivery("pending")
    given_up = delivery("failed")

    call_command("send_lrs_statements", stdout=io.StringIO())

    kept = set(StatementDelivery.objects.values_list("pk", flat=True))
    assert kept == {recent.pk, waiting.pk, given_up.pk}
    assert old.pk not in kept
