import pytest
from wagtail.models import Locale

from tests.factories import (
    OrganisationFactory,
    make_guidance,
    make_guidance_index,
    make_guidance_section,
)
from tests.query_budgets import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return make_guidance_section(OrganisationFactory(name="A Charity", sector="ngo"))


def test_library_filters_by_sector_and_topic(client, section):
    police = make_guidance(section, "For police", sectors=["police"])
    police.tags.add("Interpreters")
    police.save_revision().publish()
    make_guidance(section, "For health", sectors=["health"])
    index = make_guidance_index()

    page = client.get(index.url).content.decode()
    assert "For police" in page and "For health" in page
    page = client.get(index.url, {"sector": "health"}).content.decode()
    assert "For health" in page and "For police" not in page
    page = client.get(index.url, {"topic": "interpreters"}).content.decode()
    assert "For police" in page and "For health" not in page


@pytest.mark.parametrize(
    "query",
    [
        "police",
        "'; DROP TABLE x; --",
        "x" * 5000,
        '"',
        '"unbalanced',
        "a OR (b",
        "c*",
        "NEAR(",
        "^x",
    ],
)
def test_library_search_never_fails(client, section, query):
    make_guidance(section, "For police")
    assert client.get(make_guidance_index().url, {"q": query}).status_code == 200


def test_section_lists_its_organisations_guidance(client, section):
    make_guidance(section, "Ours")
    other = make_guidance_section(OrganisationFactory(name="Other Charity", sector="ngo"))
    make_guidance(other, "Theirs")
    page = client.get(section.url).content.decode()
    assert "Ours" in page and "Theirs" not in page


def test_welsh_library_lists_welsh_versions_with_welsh_topics_and_english_for_the_rest(
    client, section
):
    translated = make_guidance(section, "Working with interpreters")
    translated.tags.add("Interpreters")
    translated.save_revision().publish()
    make_guidance(section, "Only in English")
    locale = Locale.objects.get_or_create(language_code="cy")[0]
    welsh_library = make_guidance_index().copy_for_translation(locale, copy_parents=True)
    welsh_library.save_revision().publish()
    section.copy_for_translation(locale).save_revision().publish()
    welsh = translated.copy_for_translation(locale)
    welsh.title = "Gweithio gyda chyfieithwyr"
    welsh.summary = "Sut i ddewis cyfieithydd."
    welsh.tags.set(["Cyfieithwyr"])
    welsh.save_revision().publish()

    page = client.get(welsh_library.url).content.decode()
    assert "Gweithio gyda chyfieithwyr" in page and "Only in English" in page
    assert "Working with interpreters" not in page
    assert "Cyfieithwyr" in page and "Interpreters" not in page
    page = client.get(welsh_library.url, {"topic": "cyfieithwyr"}).content.decode()
    assert "Gweithio gyda chyfieithwyr" in page and "Only in English" not in page
    page = client.get(welsh.url).content.decode()
    assert "Cyfieithwyr" in page and "Interpreters" not in page
    english_library = client.get(make_guidance_index().url).content.decode()
    assert "Working with interpreters" in english_library
    assert "Gweithio gyda chyfieithwyr" not in english_library


@pytest.mark.parametrize("count", [2, 25])
def test_library_and_guidance_pages_make_the_same_queries_at_any_size(
    client, section, count, production_cache
):
    for number in range(count):
        make_guidance(section, f"Guidance {number:02d}", sectors=["police", "health"])
    assert queries_for(client, make_guidance_index().url) == LIBRARY_QUERIES
    assert queries_for(client, section.url) == SECTION_QUERIES
    assert queries_for(client, make_guidance(section, "Read this").url) == GUIDANCE_PAGE_QUERIES


LIBRARY_QUERIES = 8
SECTION_QUERIES = 4
GUIDANCE_PAGE_QUERIES = 6
