"""What a learner does reaches their organisation's Learning Record Store (a real one,
Ralph, run locally) as xAPI statements, and nothing is sent where there is none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale

from courses.models import Enrolment
from quizzes.models import Attempt
from tests.factories import (
    OrganisationFactory,
    make_assessment,
    make_course,
    make_question,
)
from xapi.models import StatementDelivery

pytestmark = pytest.mark.django_db

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
EARNED = "http://id.tincanapi.com/verb/earned"


def absolute(path):
    return "http://testserver" + path


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Northshire Police", sector="police")


@pytest.fixture
def member(learner, organisation):
    learner.memberships.create(organisation=organisation)
    return learner


def complete_lesson(client, lesson, capture):
    with capture(execute=True):
        return client.post(reverse("learning:complete_lesson", args=[lesson.pk]), follow=True)


def answer(client, assessment, question, right, capture):
    client.post(reverse("learning:start", args=[assessment.pk]))
    attempt = Attempt.objects.filter(submitted_at__isnull=True).get()
    option = question.options.filter(is_correct=right).first()
    with capture(execute=True):
        response = client.post(
            reverse("learning:attempt", args=[attempt.pk]),
            {f"q{question.pk}": [str(option.pk)], "submit": "1"},
            follow=True,
        )
    assert response.status_code == 200
    return response


def test_completing_a_lesson_reaches_the_lrs(
    client, member, organisation, lrs_of, running_ralph, django_capture_on_commit_callbacks
):
    lrs_of(organisation)
    course = make_course("Recognising trafficked children", lessons=2)
    Enrolment.objects.create(user=member, course=course)
    client.force_login(member)
    lesson = course.lessons().first()

    response = complete_lesson(client, lesson, django_capture_on_commit_callbacks)

    assert f"You completed the lesson “{lesson.title}”." in response.content.decode()
    [statement] = running_ralph.statements_about(member)
    assert statement["verb"]["id"] == COMPLETED
    assert statement["verb"]["display"]["en-GB"] == "completed"
    assert statement["actor"]["mbox"] == f"mailto:{member.email}"
    assert statement["actor"]["name"] == member.display_name
    assert statement["object"]["id"] == absolute(lesson.url)
    assert statement["object"]["definition"]["name"] == {"en-GB": lesson.title}
    assert statement["context"]["platform"] == "Recognise"
    assert statement["context"]["language"] == "en-GB"
    parent = statement["context"]["contextActivities"]["parent"][0]
    assert parent["id"] == absolute(course.url)
    delivery = StatementDelivery.objects.get()
    assert str(delivery.statement_id) == statement["id"]
    assert delivery.status == StatementDelivery.Status.SENT
    assert delivery.sent_at is not None


def test_failing_then_passing_an_assessment_completes_the_course_and_earns_a_certificate(
    client, member, organisation, lrs_of, running_ralph, django_capture_on_commit_callbacks
):
    lrs_of(organisation)
    course = make_course("Assessed course", lessons=0)
    question = make_question()
    assessment = make_assessment(course, questions=[question])
    Enrolment.objects.create(user=member, course=course)
    client.force_login(member)

    answer(client, assessment, question, False, django_capture_on_commit_callbacks)
    page = answer(client, assessment, question, True, django_capture_on_commit_callbacks)

    assert "You passed." in page.content.decode()
    failed, passed, completed, earned = running_ralph.statements_about(member)
    assert failed["verb"]["id"] == FAILED
    assert failed["object"]["id"] == absolute(assessment.url)
    assert failed["result"]["success"] is False
    assert failed["result"]["score"] == {"scaled": 0, "raw": 0, "min": 0, "max": 1}
    assert passed["verb"]["id"] == PASSED
    assert passed["object"]["id"] == absolute(assessment.url)
    assert passed["result"]["success"] is True
    assert passed["result"]["score"] == {"scaled": 1, "raw": 1, "min": 0, "max": 1}
    assert completed["verb"]["id"] == COMPLETED
    assert completed["object"]["id"] == absolute(course.url)
    assert completed["object"]["definition"]["name"]["en-GB"] == "Assessed course"
    certificate = member.certificates.get()
    assert earned["verb"]["id"] == EARNED
    assert earned["object"]["id"] == absolute(
        reverse("certificates:verify", args=[certificate.formatted_code])
    )
    assert earned["object"]["definition"]["name"]["en-GB"] == "Certificate: Assessed course"
    assert earned["context"]["contextActivities"]["parent"][0]["id"] == absolute(course.url)
    assert set(StatementDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_welsh_reader_sends_welsh_context_and_the_same_activity(
    client, member, organisation, lrs_of, running_ralph, django_capture_on_commit_callbacks
):
    lrs_of(organisation)
    course = make_course("Recognising trafficked children", lessons=1)
    Enrolment.objects.create(user=member, course=course)
    member.preferred_language = "cy"
    member.save()
    client.force_login(member)
    lesson = course.lessons().first()
    welsh = lesson.copy_for_translation(Locale.objects.get(language_code="cy"), copy_parents=True)
    welsh.title = "Adnabod yr arwyddion"
    welsh.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cy" + reverse("learning:complete_lesson", args=[lesson.pk])[3:])

    [lesson_done, course_done, earned] = running_ralph.statements_about(member)
    assert lesson_done["context"]["language"] == "cy"
    assert lesson_done["verb"]["display"] == {"en-GB": "completed", "cy": "cwblhaodd"}
    # The activity is the English page, which the Welsh one translates: one activity.
    assert lesson_done["object"]["id"] == absolute(lesson.url)
    assert lesson_done["object"]["definition"]["name"] == {
        "en-GB": lesson.title,
        "cy": "Adnabod yr arwyddion",
    }
    assert course_done["verb"]["id"] == COMPLETED
    assert earned["verb"]["id"] == EARNED


def test_a_learner_whose_organisation_has_no_lrs_sends_nothing(
    client, member, django_capture_on_commit_callbacks
):
    course = make_course("Recognising trafficked children", lessons=2)
    Enrolment.objects.create(user=member, course=course)
    client.force_login(member)
    lesson = course.lessons().first()

    with CaptureQueriesContext(connection) as queries:
        response = complete_lesson(client, lesson, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert not StatementDelivery.objects.exists()
    lookups = [query["sql"] for query in queries if "xapi_" in query["sql"]]
    assert len(lookups) == 1, lookups


def test_a_turned_off_lrs_gets_nothing(
    client, member, organisation, lrs_of, running_ralph, django_capture_on_commit_callbacks
):
    lrs_of(organisation, enabled=False)
    course = make_course("Recognising trafficked children", lessons=2)
    Enrolment.objects.create(user=member, course=course)
    client.force_login(member)
    complete_lesson(client, course.lessons().first(), django_capture_on_commit_callbacks)
    assert not StatementDelivery.objects.exists()
    assert running_ralph.statements_about(member) == []


def test_each_of_the_learners_organisations_with_an_lrs_gets_the_statement(
    client, member, organisation, lrs_of, running_ralph, django_capture_on_commit_callbacks
):
    other = OrganisationFactory(name="Northshire Council", sector="childrens-social-care")
    member.memberships.create(organisation=other)
    lrs_of(organisation)
    lrs_of(other)
    OrganisationFactory(name="Someone else's")
    course = make_course("Recognising trafficked children", lessons=2)
    Enrolment.objects.create(user=member, course=course)
    client.force_login(member)
    complete_lesson(client, course.lessons().first(), django_capture_on_commit_callbacks)

    deliveries = StatementDelivery.objects.all()
    assert sorted(delivery.store.organisation.name for delivery in deliveries) == [
        "Northshire Council",
        "Northshire Police",
    ]
    # Both stores are the same Ralph here, so it holds the statement under both ids.
    assert len(running_ralph.statements_about(member)) == 2
