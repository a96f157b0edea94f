import shutil

import pytest
import yaml
from django.core.management import call_command
from wagtail.models import Revision

from accounts.models import Sector
from courses.html import clean_lesson_html
from courses.models import CoursePage, LessonPage, SectorPage
from recognise.demo import courses as loader
from recognise.demo.courses import CONTENT_DIR

pytestmark = pytest.mark.django_db

CORE = "recognising-and-responding"
SECTOR_COURSES = [
    "police",
    "childrens-social-care",
    "border-and-immigration",
    "health",
    "education",
    "ngo-and-voluntary-sector",
]
# Managers and safeguarding leads work in every sector, so their course lists all six.
MANAGERS = "managers-and-safeguarding-leads"


def test_loads_the_core_course_six_sector_courses_and_the_managers_course(demo_content):
    slugs = set(CoursePage.objects.live().values_list("slug", flat=True))
    assert slugs == {CORE, *SECTOR_COURSES, MANAGERS}


def test_every_sector_has_its_page(demo_content):
    assert set(SectorPage.objects.live().values_list("sector", flat=True)) == set(Sector.values)


def test_core_course_is_for_every_sector_and_sector_courses_need_it(demo_content):
    core = CoursePage.objects.get(slug=CORE, locale__language_code="en")
    assert {item.sector for item in core.course_sectors.all()} == set(Sector.values)
    for slug in [*SECTOR_COURSES, MANAGERS]:
        course = CoursePage.objects.get(slug=slug)
        assert list(course.prerequisites.all()) == [core], slug


def test_managers_course_appears_on_every_sector_page(client, demo_content):
    managers = CoursePage.objects.get(slug=MANAGERS, locale__language_code="en")
    assert {item.sector for item in managers.course_sectors.all()} == set(Sector.values)
    for page in SectorPage.objects.live().filter(locale__language_code="en"):
        response = client.get(page.url)
        assert response.status_code == 200, page.sector
        assert managers in response.context["courses"], page.sector


def test_every_course_has_four_or_more_lessons_each_with_sources(demo_content):
    for course in CoursePage.objects.all():
        lessons = list(course.lessons())
        assert len(lessons) >= 4, course.slug
        assert len(course.learning_outcomes) >= 1, course.slug
        assert course.cpd_hours > 0
        for lesson in lessons:
            assert len(lesson.sources) >= 1, lesson.slug
            assert len(lesson.body) >= 2, lesson.slug


def test_case_studies_are_marked_fictional(demo_content):
    case_studies = [
        block
        for lesson in LessonPage.objects.all()
        for block in lesson.body
        if block.block_type == "case_study"
    ]
    assert case_studies
    assert all(block.value["fictional"] for block in case_studies)


def test_lessons_use_the_range_of_blocks(demo_content):
    used = {block.block_type for lesson in LessonPage.objects.all() for block in lesson.body}
    assert {
        "rich_text",
        "key_facts",
        "indicator_checklist",
        "case_study",
        "what_to_do",
        "myth_and_fact",
        "accordion",
    } <= used


def test_loading_again_changes_nothing(demo_content):
    pages = CoursePage.objects.count() + LessonPage.objects.count()
    revisions = Revision.objects.count()
    call_command("load_demo_content")
    assert CoursePage.objects.count() + LessonPage.objects.count() == pages
    assert Revision.objects.count() == revisions


def test_editing_a_file_updates_just_that_page(demo_content, tmp_path, settings, monkeypatch):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    path = copy / "courses" / f"{CORE}.yaml"
    data = yaml.safe_load(path.read_text())
    data["lessons"][0]["title"] = "A retitled first lesson"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    monkeypatch.setattr(loader, "CONTENT_DIR", copy)

    revisions = Revision.objects.count()
    loader.load_demo_content()
    assert Revision.objects.count() == revisions + 1
    assert LessonPage.objects.filter(title="A retitled first lesson").exists()


def test_content_files_keep_to_the_formatting_set():
    for path in (CONTENT_DIR / "courses").glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        for lesson in data["lessons"]:
            for block in lesson["body"]:
                if block["type"] == "rich_text":
                    html = " ".join(block["value"].split())
                    cleaned = " ".join(clean_lesson_html(block["value"]).split())
                    assert cleaned == html, f"{path.name}: {lesson['slug']}"
