"""The public course catalogue through Wagtail's pages API."""

from django.test import Client
from wagtail.models import PageViewRestriction

from tests.factories import make_course

PAGES = "/api/v2/pages/"


def titles(response):
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def test_only_live_public_courses_are_listed(db):
    make_course("Public course")
    make_course("Draft course", live=False)
    private = make_course("Private course")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    client = Client()
    assert titles(client.get(PAGES, {"type": "courses.CoursePage"})) == {"Public course"}
    # Without a type, lessons and other pages are not listed either.
    assert titles(client.get(PAGES)) == {"Public course"}
    assert client.get(f"{PAGES}{private.pk}/").status_code == 404


def test_a_course_shows_its_catalogue_fields_and_nothing_internal(db):
    course = make_course("Public course", sectors=("police", "health"))
    response = Client().get(PAGES, {"type": "courses.CoursePage", "fields": "*"})
    [item] = response.json()["items"]
    assert item["summary"] == course.summary
    assert item["estimated_minutes"] == 30
    assert item["sectors"] == ["police", "health"]
    assert item["meta"]["locale"] == "en"
    for internal in ("last_reviewed", "next_review", "contributing_organisation", "owner"):
        assert internal not in item
    assert (
        Client().get(PAGES, {"type": "courses.CoursePage", "fields": "next_review"}).status_code
        == 400
    )


def test_finding_a_course_by_an_id_that_is_not_a_number_is_404(db):
    course = make_course("Public course")
    client = Client(raise_request_exception=False)
    for odd in ("", "x", "²", "9" * 30):
        assert client.get(f"{PAGES}find/", {"id": odd}).status_code == 404
    found = client.get(f"{PAGES}find/", {"id": course.pk})
    assert found.status_code == 302
