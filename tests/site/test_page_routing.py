"""Pages are found as Wagtail finds them, in fewer queries (core/page_routing.py).

The page view is given the site and page found by core.page_routing through the request
attributes in which Wagtail keeps what it found. These tests compare both answers with
Wagtail's own for the same requests, and check that Wagtail's view still reads them: if
an upgrade of Wagtail changes either, they fail before a reader is shown the wrong page.
"""

import uuid

import pytest
from django.db import connection
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale, Page, Site

from core.page_routing import find_site, route, routed, site_found
from tests.factories import home_page, make_course, make_lesson

pytestmark = pytest.mark.django_db

PATHS = [
    "",
    "courses/",
    "courses/core-course/",
    "courses/core-course/core-course-lesson-1/",
    "courses/core-course/core-course-lesson-2/",
    "courses/core-course/draft-lesson/",
    "courses/core-course/no-such-lesson/",
    "courses/core-course/core-course-lesson-1/below-a-lesson/",
    "no-such-section/core-course/",
    "core-course/",
]


@pytest.fixture
def pages():
    course = make_course("Core course", lessons=2)
    make_lesson(course, "Draft lesson", live=False)
    # Welsh has the course and its first lesson only; the second lesson is a draft.
    welsh = Locale.objects.get(language_code="cy")
    welsh_course = course.copy_for_translation(welsh, copy_parents=True)
    welsh_course.save_revision().publish()
    lessons = list(course.get_children().specific())
    lessons[0].copy_for_translation(welsh).save_revision().publish()
    welsh_draft = lessons[1].copy_for_translation(welsh)
    Page.objects.filter(locale=welsh).exclude(pk=welsh_draft.pk).update(live=True)
    return course


def wagtail_route(request, path):
    """What Wagtail's own Page.route_for_request finds, as (page id, args, kwargs)."""
    found = Page.route_for_request(request, path)
    return None if found is None else (found[0].pk, found[1], found[2])


def our_route(request, path):
    site, home_translation_key = find_site(request)
    try:
        found = route(request, site, home_translation_key, path)
    except Http404:
        return None
    return (found[0].pk, found[1], found[2])


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("path", PATHS)
def test_each_path_leads_to_the_page_wagtail_would_serve(pages, language, path):
    with translation.override(language):
        expected = wagtail_route(RequestFactory().get(f"/{language}/{path}"), path)
        assert our_route(RequestFactory().get(f"/{language}/{path}"), path) == expected


def test_a_path_in_welsh_leads_to_the_welsh_page_and_its_draft_to_nothing(pages):
    with translation.override("cy"):
        found = our_route(RequestFactory().get("/cy/"), "courses/core-course/")
        assert Page.objects.get(pk=found[0]).locale.language_code == "cy"
        draft = "courses/core-course/core-course-lesson-2/"
        assert our_route(RequestFactory().get(f"/cy/{draft}"), draft) is None


def test_a_language_without_a_live_home_page_reads_the_english_pages(pages):
    Page.objects.filter(depth=2, locale__language_code="cy").update(live=False)
    path = "courses/core-course/"
    with translation.override("cy"):
        expected = wagtail_route(RequestFactory().get(f"/cy/{path}"), path)
        assert expected is not None
        assert our_route(RequestFactory().get(f"/cy/{path}"), path) == expected
        assert Page.objects.get(pk=expected[0]).locale.language_code == "en"


SITES = {
    "one default site": [("localhost", 80, True)],
    "default and another host": [("localhost", 80, True), ("example.org", 80, False)],
    "another host on two ports": [
        ("localhost", 80, True),
        ("example.org", 80, False),
        ("example.org", 8000, False),
    ],
    "a default with the host": [("example.org", 80, True), ("example.org", 8000, False)],
    "no default site": [("example.org", 80, False), ("example.net", 80, False)],
}
HOSTS = ["localhost", "example.org", "example.org:8000", "example.org:8080", "example.net"]


@pytest.mark.parametrize("sites", SITES.values(), ids=SITES.keys())
def test_each_host_is_answered_by_the_site_wagtail_would_choose(sites):
    home = home_page()
    Site.objects.all().delete()
    for hostname, port, is_default in sites:
        Site.objects.create(
            hostname=hostname, port=port, is_default_site=is_default, root_page=home
        )
    for host in HOSTS:
        expected = Site.find_for_request(RequestFactory().get("/", HTTP_HOST=host))
        site, home_translation_key = find_site(RequestFactory().get("/", HTTP_HOST=host))
        assert (site and site.pk) == (expected and expected.pk), host
        if site:
            assert (site.hostname, site.port, site.root_page_id) == (
                expected.hostname,
                expected.port,
                expected.root_page_id,
            )
            # As the database gives it: a UUID on PostgreSQL, its hex digits on SQLite.
            assert uuid.UUID(str(home_translation_key)) == home.translation_key


def test_wagtail_serves_the_page_found_without_looking_again(pages):
    path = "courses/core-course/core-course-lesson-1/"
    request = RequestFactory().get(f"/en/{path}")
    seen = {}

    def wagtail_view(request, path):
        # What Wagtail's page view asks first; it must not need the database again.
        with CaptureQueriesContext(connection) as queries:
            seen["site"] = Site.find_for_request(request)
            seen["route"] = Page.route_for_request(request, path)
        seen["queries"] = len(queries)
        return HttpResponse()

    with translation.override("en"):
        routed(wagtail_view)(request, path)
    assert seen["queries"] == 0
    assert seen["site"].root_page_id == home_page().pk
    assert seen["route"][0].title == "Core course lesson 1"


@pytest.mark.parametrize("host", ["localhost", "example.org"])
def test_a_view_given_the_site_has_the_one_wagtail_would_find_without_looking_again(host):
    Site.objects.create(hostname="example.org", port=80, root_page=home_page())
    expected = Site.find_for_request(RequestFactory().get("/en/learning/", HTTP_HOST=host))
    seen = {}

    def view(request):
        # What building a page's address asks first; it must not need the database again.
        with CaptureQueriesContext(connection) as queries:
            seen["site"] = Site.find_for_request(request)
        seen["queries"] = len(queries)
        return HttpResponse()

    site_found(view)(RequestFactory().get("/en/learning/", HTTP_HOST=host))
    assert seen == {"site": expected, "queries": 0}
