import datetime

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cohorts.assigning import assign
from courses.models import Enrolment, LessonCompletion
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_assessment,
    make_catalogue,
    make_course,
    make_lesson,
    make_sector_page,
)
from tests.query_budgets import queries_for
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


def test_catalogue_lists_courses_and_filters_by_sector(client):
    make_course("Core course", sectors=["police", "health"])
    make_course("Health course", sectors=["health"])
    make_course("Police course", sectors=["police"])
    catalogue = make_catalogue()

    page = client.get(catalogue.url).content.decode()
    assert "3 courses" in page

    page = client.get(catalogue.url, {"sector": "health"}).content.decode()
    assert "2 courses" in page
    assert "Health course" in page and "Core course" in page
    assert "Police course" not in page


def test_catalogue_ignores_an_unknown_sector(client):
    make_course("Core course")
    response = client.get(make_catalogue().url, {"sector": "<script>"})
    assert response.status_code == 200
    assert "1 course" in response.content.decode()


def test_catalogue_search_finds_courses_by_summary(client):
    make_course("Core course")
    make_course("Border course")
    response = client.get(make_catalogue().url, {"q": "Border"})
    page = response.content.decode()
    assert "Border course" in page
    assert "Core course" not in page


def test_catalogue_is_paginated(client):
    for number in range(14):
        make_course(f"Course {number:02d}", lessons=0)
    catalogue = make_catalogue()
    first = client.get(catalogue.url).content.decode()
    assert "Page 1 of 2" in first
    assert first.count('class="card"') == 12
    second = client.get(catalogue.url, {"page": 2}).content.decode()
    assert second.count('class="card"') == 2
    assert client.get(catalogue.url, {"page": "abc"}).status_code == 200


def test_sector_page_lists_only_its_courses(client):
    police_page = make_sector_page("police", "Police")
    make_course("Core course", sectors=["police", "health"])
    make_course("Police course", sectors=["police"])
    make_course("Health course", sectors=["health"])
    page = client.get(police_page.url).content.decode()
    assert "Core course" in page and "Police course" in page
    assert "Health course" not in page
    assert "What you must do" in page


def test_course_page_shows_its_details(client):
    core = make_course("Core course")
    course = make_course("Police course", prerequisites=[core])
    page = client.get(course.url).content.decode()
    for text in [
        "Summary of Police course.",
        "Police",
        "About 30 minutes",
        "1.0 hours",
        "Valid for 24 months",
        "Recognise the signs.",
        "Core course",
        "1 November 2026",
        "Police course lesson 1",
    ]:
        assert text in page, text


def test_lesson_page_ends_with_its_sources(client):
    course = make_course("Core course")
    page = client.get(course.lessons().first().url).content.decode()
    assert "Modern Slavery Act 2015" in page
    assert page.index("Text of Core course lesson 1") < page.index('id="sources-heading"')


def test_draft_course_is_404(client, learner):
    course = make_course("Draft course", live=False)
    sign_in(client, learner.email)
    assert client.get(f"/en/courses/{course.slug}/").status_code == 404


def test_private_course_is_404_or_login_for_learners(client, learner):
    course = make_course("Private course")
    PageViewRestriction.objects.create(page=course, restriction_type="groups").groups.set([])
    sign_in(client, learner.email)
    response = client.get(course.url)
    assert response.status_code in (302, 403, 404)
    assert "Private course lesson" not in response.content.decode()
    assert "Private course" not in client.get(make_catalogue().url).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        '"quoted"',
        '"unbalanced',
        "'; DROP TABLE wagtailcore_page; --",
        "x" * 10_000,
        "AND OR NOT",
        "ŵŷ âê",
        "%_\\",
        "a OR (b",
        "col:value",
        "prefix*",
    ],
)
def test_odd_searches_return_a_page(client, query):
    make_course("Core course")
    assert client.get(reverse("search"), {"q": query}).status_code == 200
    assert client.get(make_catalogue().url, {"q": query}).status_code == 200


def test_site_search_finds_lessons_by_their_body(client):
    course = make_course("Core course", lessons=0)

    make_lesson(
        course,
        "Going missing",
        body=[{"type": "rich_text", "value": "<p>Interpreters must be independent.</p>"}],
    )
    page = client.get(reverse("search"), {"q": "interpreters"}).content.decode()
    assert "Going missing" in page


def test_site_search_hides_drafts(client):
    make_course("Visible course")
    make_course("Secret draft course", live=False)
    page = client.get(reverse("search"), {"q": "course"}).content.decode()
    assert "Visible course" in page
    assert "Secret draft course" not in page


def add_learners_with_progress(course, count):
    lessons = list(course.lessons())
    for user in UserFactory.create_batch(count):
        enrolment = Enrolment.objects.create(user=user, course=course)
        LessonCompletion.objects.create(enrolment=enrolment, lesson=lessons[0])


# Budgets for a signed-in learner; the same at both data sizes below.
COURSE_PAGE_QUERIES = 8
LESSON_PAGE_QUERIES = 7
# A lesson kept in the page cache for readers who stand where this one does.
KEPT_LESSON_PAGE_QUERIES = 1


@pytest.mark.parametrize(("courses", "learners"), [(2, 1), (200, 500)])
def test_course_and_lesson_pages_make_the_same_queries_at_any_size(
    client, courses, learners, learner, production_cache
):
    core = make_course("Core course", lessons=4)
    for number in range(courses - 2):
        make_course(f"Course {number}", lessons=1, prerequisites=[core])
    police = make_course("Police course", prerequisites=[core])
    add_learners_with_progress(core, learners)
    enrolment = Enrolment.objects.create(user=learner, course=core)
    LessonCompletion.objects.create(enrolment=enrolment, lesson=core.lessons().first())
    client.force_login(learner)

    assert queries_for(client, core.url) == COURSE_PAGE_QUERIES
    assert queries_for(client, police.url) == COURSE_PAGE_QUERIES
    assert queries_for(client, core.lessons()[1].url) == LESSON_PAGE_QUERIES
    kept = queries_for(client, core.lessons()[1].url, rendered=False)
    assert kept == KEPT_LESSON_PAGE_QUERIES


def test_lessons_of_an_unpublished_course_are_hidden(client, learner):
    course = make_course("Withdrawn course")
    lesson = course.lessons().first()
    course.unpublish()
    sign_in(client, learner.email)
    assert client.get(lesson.url).status_code == 404

    assert client.post(reverse("learning:complete_lesson", args=[lesson.pk])).status_code == 404


@pytest.mark.parametrize("courses", [2, 30])
def test_catalogue_and_sector_pages_make_the_same_queries_at_any_size(
    client, courses, production_cache
):
    sector_page = make_sector_page("police")
    for number in range(courses):
        make_course(f"Course {number:02d}", sectors=["police", "health"], lessons=0)
    assert queries_for(client, make_catalogue().url) == CATALOGUE_QUERIES
    assert queries_for(client, sector_page.url) == SECTOR_PAGE_QUERIES


# Each course once in the reader's language: the active locale is looked up, and
# the course pages in it.
CATALOGUE_QUERIES = 8
SECTOR_PAGE_QUERIES = 8


@pytest.mark.parametrize("assigned", [False, True])
@pytest.mark.parametrize("enrolments", [1, 12])
def test_my_learning_makes_the_same_queries_at_any_size(
    client, learner, enrolments, assigned, production_cache
):
    trainer = UserFactory(role="Trainer")
    organisation = OrganisationFactory()
    for number in range(enrolments):
        course = make_course(f"Course {number:02d}", lessons=2)
        enrolment = Enrolment.objects.create(user=learner, course=course)
        LessonCompletion.objects.create(enrolment=enrolment, lesson=course.lessons().first())
        if assigned:
            assign(course, datetime.date.today(), organisation, trainer, user=learner)
    client.force_login(learner)
    page = client.get(reverse("learning:my_learning")).content.decode()
    assert ("Course 00" in page.split('id="in-progress-heading"')[0]) is assigned
    # The courses set are marked by the enrolments My learning reads anyway.
    assert queries_for(client, reverse("learning:my_learning")) == MY_LEARNING_QUERIES


# The enrolments with their courses, the required items counted for all of them, the
# certificates, the learner's cohorts and the courses set for them.
MY_LEARNING_QUERIES = 6


def test_the_course_task_list_names_each_item_in_order_with_its_kind(client, learner):
    course = make_course("Core course", lessons=1)
    make_lesson(course, "Further reading", required=False)
    make_lesson(course, "Withdrawn lesson", live=False)
    make_assessment(course, title="Check your understanding", slug="check", kind="knowledge_check")
    make_assessment(course)
    Enrolment.objects.create(user=learner, course=course)
    client.force_login(learner)

    response = client.get(course.url)

    rows = [
        (item.title, item.is_assessment, item.required, item.url)
        for item in response.context["lessons"]
    ]
    assert rows == [
        ("Core course lesson 1", False, True, "/en/courses/core-course/core-course-lesson-1/"),
        ("Further reading", False, False, "/en/courses/core-course/further-reading/"),
        ("Check your understanding", True, False, "/en/courses/core-course/check/"),
        ("Final assessment", True, True, "/en/courses/core-course/final-assessment/"),
    ]
    # Two items are required: the lesson and the final assessment.
    assert response.context["progress"].total == 2
    page = response.content.decode()
    assert page.count('<span class="tag">Assessment</span>') == 2
    assert page.count('<span class="tag">Optional</span>') == 2
    assert "Withdrawn lesson" not in page
