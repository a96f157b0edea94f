"""Load the demo sectors and courses from the YAML files in content/.

Pages are matched by slug and updated in place; a new revision is published only
when a page's content differs from the file, so running it again changes nothing.
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from wagtail.models import Page

from courses.html import clean_lesson_html
from courses.models import (
    CatalogueIndexPage,
    CoursePage,
    CourseSector,
    LessonPage,
    SectorIndexPage,
    SectorPage,
)
from recognise.home.models import HomePage

from .loading import CONTENT_DIR, as_date, lesson_block, read_yaml, save_page, source_blocks


def load_sectors(home):
    index = save_page(
        home,
        SectorIndexPage,
        "sectors",
        {
            "title": "Your sector",
            "introduction": (
                "Each sector meets trafficked children in different ways. Start with the "
                "page for your work."
            ),
        },
    )
    for entry in read_yaml(CONTENT_DIR / "sectors.yaml"):
        save_page(
            index,
            SectorPage,
            entry["sector"],
            {
                "title": entry["title"],
                "sector": entry["sector"],
                "introduction": entry["introduction"].strip(),
                "responsibilities": clean_lesson_html(entry["responsibilities"]),
            },
        )
    return index


def load_course(catalogue, data):
    course = save_page(
        catalogue,
        CoursePage,
        data["slug"],
        {
            "title": data["title"],
            "summary": data["summary"].strip(),
            "estimated_minutes": int(data["estimated_minutes"]),
            "cpd_hours": Decimal(str(data["cpd_hours"])).quantize(Decimal("0.1")),
            "certificate_validity_months": int(data["certificate_validity_months"]),
            "content_note": (data.get("content_note") or "").strip(),
            "last_reviewed": as_date(data["last_reviewed"]),
            "next_review": as_date(data["next_review"]),
        },
        stream_fields=[
            (
                "learning_outcomes",
                [{"type": "outcome", "value": outcome} for outcome in data["learning_outcomes"]],
            )
        ],
    )
    wanted_sectors = list(data["sectors"])
    if [item.sector for item in course.course_sectors.all()] != wanted_sectors:
        course.course_sectors.set([CourseSector(sector=sector) for sector in wanted_sectors])
        course.save_revision().publish()
    previous = None
    for lesson in data["lessons"]:
        created = not LessonPage.objects.child_of(course).filter(slug=lesson["slug"]).exists()
        page = save_page(
            course,
            LessonPage,
            lesson["slug"],
            {
                "title": lesson["title"],
                "summary": (lesson.get("summary") or "").strip(),
                "estimated_minutes": int(lesson.get("estimated_minutes", 10)),
                "required": bool(lesson.get("required", True)),
            },
            stream_fields=[
                ("body", [lesson_block(block) for block in lesson["body"]]),
                ("sources", source_blocks(lesson.get("sources"))),
            ],
        )
        keep_file_order(course, page, previous, created)
        previous = page
    return course


def keep_file_order(course, lesson, previous, created):
    """Lessons follow one another as in the file. A lesson added to a course loaded
    before goes straight after the lesson before it, not at the end after the final
    assessment; a knowledge check it lands in front of is put back behind its own lesson
    when the assessments load."""
    lesson = Page.objects.get(pk=lesson.pk)
    before = lesson.get_prev_sibling()
    if previous is None:
        if before is not None:
            lesson.move(Page.objects.get(pk=course.pk), pos="first-child")
        return
    if before is not None and before.pk == previous.pk:
        return
    earlier = (
        LessonPage.objects.sibling_of(lesson).filter(path__lt=lesson.path).order_by("-path").first()
    )
    if created or earlier is None or earlier.pk != previous.pk:
        lesson.move(Page.objects.get(pk=previous.pk), pos="right")


def link_prerequisites(courses, files):
    for data in files:
        course = courses[data["slug"]]
        wanted = {courses[slug].pk for slug in data.get("prerequisites") or []}
        if set(course.prerequisites.values_list("pk", flat=True)) != wanted:
            course.prerequisites.set(wanted)
            course.save_revision().publish()


@transaction.atomic
def load_demo_content():
    home = HomePage.objects.get(depth=2, locale__language_code=settings.LANGUAGE_CODE)
    catalogue = save_page(
        home,
        CatalogueIndexPage,
        "courses",
        {
            "title": "Courses",
            "introduction": ("Start with the core course, then take the course for your sector."),
        },
    )
    load_sectors(home)
    files = [read_yaml(path) for path in sorted((CONTENT_DIR / "courses").glob("*.yaml"))]
    courses = {data["slug"]: load_course(catalogue, data) for data in files}
    link_prerequisites(courses, files)
    return courses
