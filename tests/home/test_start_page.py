"""The start page: what the service does, where to start, and where to carry on."""

import pytest
from django.urls import reverse

from courses.models import Enrolment, LessonCompletion
from tests.factories import UserFactory, make_course, make_sector_page
from tests.query_budgets import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses():
    core = make_course("Recognising trafficked children", sectors=["police", "health"], lessons=3)
    core.estimated_minutes = 95
    core.save_revision().publish()
    police = make_course("Police course", prerequisites=[core])
    make_sector_page("police", "Police")
    make_sector_page("health", "Health")
    return core, police


def test_start_page_says_what_the_service_does_and_where_to_start(client, courses):
    core, _police = courses
    page = client.get("/en/").content.decode()
    assert "<h1>Learn to recognise and respond to trafficked children</h1>" in page
    assert "Start with the core course" in page
    assert "About 95 minutes" in page
    assert "1.0 hours" in page
    assert f'href="{core.url}"' in page
    assert ">Police</a>" in page and ">Health</a>" in page
    assert reverse("certificates:verify_form") in page
    assert "Continue your learning" not in page


def test_welsh_start_page_is_in_welsh(client, courses):
    page = client.get("/cy/").content.decode()
    assert "Dysgu sut i adnabod plant sydd wedi'u masnachu ac ymateb iddynt" in page
    assert "Dechrau gyda'r cwrs craidd" in page


def test_signed_in_learner_is_offered_their_next_step(client, learner, courses):
    core, _police = courses
    lessons = list(core.lessons())
    enrolment = Enrolment.objects.create(user=learner, course=core)
    LessonCompletion.objects.create(enrolment=enrolment, lesson=lessons[0])
    client.force_login(learner)
    page = client.get("/en/").content.decode()
    assert "Continue your learning" in page
    assert f"Continue: {lessons[1].title}" in page
    assert f'href="{lessons[1].url}"' in page


def test_a_learner_with_nothing_in_progress_is_not_offered_to_continue(client, learner, courses):
    client.force_login(learner)
    page = client.get("/en/").content.decode()
    assert "Continue your learning" not in page
    assert "Start Recognising trafficked children" in page


# The start page for a visitor, and for a learner part way through a course.
VISITOR_QUERIES = 8
LEARNER_QUERIES = 12


@pytest.mark.parametrize("size", [1, 30])
def test_start_page_queries_are_bounded(client, learner, size, production_cache):
    core = make_course("Core course", lessons=size + 1)
    for number in range(size):
        make_course(f"Course {number}", lessons=1, prerequisites=[core])
        Enrolment.objects.create(user=UserFactory(), course=core)
    make_sector_page("police")
    assert queries_for(client, "/en/") == VISITOR_QUERIES

    enrolment = Enrolment.objects.create(user=learner, course=core)
    LessonCompletion.objects.create(enrolment=enrolment, lesson=core.lessons().first())
    client.force_login(learner)
    assert queries_for(client, "/en/") == LEARNER_QUERIES
