"""The site search says what each result is, finds each page once in the reader's
language, and points people looking for the certificate check to it."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation

from tests.factories import make_course, make_lesson
from tests.query_budgets import production_cache, queries_for  # noqa: F401
from tests.site.test_language import welsh_translation

pytestmark = pytest.mark.django_db


def search(client, query, language="en"):
    with translation.override(language):
        url = reverse("search")
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def results(page):
    return page.select(".search-result")


def test_a_lesson_result_says_what_it_is_and_which_course_it_belongs_to(client):
    course = make_course("Border course", lessons=0)
    lesson = make_lesson(
        course,
        "Interpreters at the port",
        body=[{"type": "rich_text", "value": "<p>Interpreters must be independent.</p>"}],
    )
    lesson.summary = "Why the adult with the child never interprets."
    lesson.save_revision().publish()

    [result] = results(search(client, "interpreters"))
    assert "Lesson" in result.select_one(".search-result__kind").text
    assert result.select_one(".search-result__title a")["href"] == lesson.url
    course_link = result.select_one(".search-result__course a")
    assert course_link.text == "Border course" and course_link["href"] == course.url
    assert "the adult with the child never interprets" in result.text


def test_a_course_result_shows_its_summary(client):
    make_course("Health course", lessons=0)
    [result] = results(search(client, "health"))
    assert "Course" in result.select_one(".search-result__kind").text
    assert "Summary of Health course." in result.select_one(".search-result__summary").text
    assert result.select_one(".search-result__course") is None


def test_a_welsh_reader_finds_a_translated_course_once_in_welsh(client):
    core = make_course("Core course", lessons=0)
    # The copy keeps the English summary until it is translated, so one word finds both.
    welsh_translation(core, "Cwrs craidd")
    make_course("Police course", lessons=0)

    page = search(client, "summary", language="cy")
    titles = [result.select_one(".search-result__title") for result in results(page)]
    found = {title.text.strip(): title.get("lang") for title in titles}
    # The Welsh core course replaces the English one; the police course, with no Welsh
    # version, is found in English and marked so.
    assert found == {"Cwrs craidd": None, "Police course": "en"}
    marked = [r for r in results(page) if r.select_one(".tag")]
    assert [r.select_one(".search-result__title").text.strip() for r in marked] == ["Police course"]


def test_a_welsh_search_finds_the_welsh_copy_by_its_welsh_words(client):
    core = make_course("Core course", lessons=0)
    welsh_translation(core, "Cwrs craidd")
    page = search(client, "craidd", language="cy")
    [result] = results(page)
    assert result.select_one(".search-result__title").text.strip() == "Cwrs craidd"
    assert not result.select_one(".search-result__title").has_attr("lang")
    assert "tag" not in str(result.select_one(".search-result__kind"))


def test_an_english_reader_never_sees_the_welsh_copies(client):
    core = make_course("Core course", lessons=0)
    welsh_translation(core, "Cwrs craidd")
    page = search(client, "course")
    assert [r.select_one(".search-result__title").text.strip() for r in results(page)] == [
        "Core course"
    ]
    assert not results(search(client, "craidd"))


@pytest.mark.parametrize(
    ("query", "language"),
    [("check a certificate", "en"), ("verify", "en"), ("gwirio tystysgrif", "cy")],
)
def test_looking_for_the_certificate_check_leads_to_it(client, query, language):
    make_course("Core course")
    page = search(client, query, language)
    link = page.select_one(".search-shortcut a")
    with translation.override(language):
        assert link["href"] == reverse("certificates:verify_form")


def test_other_searches_do_not_offer_the_certificate_check(client):
    make_course("Core course")
    assert search(client, "core").select_one(".search-shortcut") is None


@pytest.mark.parametrize("courses", [1, 8])
def test_search_results_take_a_fixed_number_of_queries(client, production_cache, courses):  # noqa: F811
    for number in range(courses):
        make_course(f"Course {number}", lessons=2)
    assert queries_for(client, reverse("search"), data={"q": "course"}) <= SEARCH_QUERIES


SEARCH_QUERIES = 9
