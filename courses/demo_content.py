"""Load the demo sectors and courses from the YAML files in content/.

Pages are matched by slug and updated in place; a new revision is published only
when a page's content differs from the file, so running it again changes nothing.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from recognise.home.models import HomePage

from .html import clean_lesson_html
from .models import (
    CatalogueIndexPage,
    CoursePage,
    CourseSector,
    LessonPage,
    SectorIndexPage,
    SectorPage,
)

CONTENT_DIR = Path(settings.BASE_DIR) / "content"

# Struct fields that hold HTML, per block type; everything else is plain text.
HTML_FIELDS = {"rich_text": None, "case_study": ["narrative"]}


class ContentError(Exception):
    """A content file is not in the shape content/README.md describes."""


def read_yaml(path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContentError(f"{path.name}: not valid YAML ({error})") from error


def strip_ids(data):
    if isinstance(data, dict):
        return {key: strip_ids(value) for key, value in data.items() if key != "id"}
    if isinstance(data, list):
        return [strip_ids(item) for item in data]
    return data


def stream_prep(page, field_name):
    """A StreamField's stored form without block ids, for comparing with a file."""
    field = page._meta.get_field(field_name)
    value = getattr(page, field_name)
    return strip_ids(field.stream_block.get_prep_value(value))


def normalised_stream(page_class, field_name, raw):
    field = page_class._meta.get_field(field_name)
    return strip_ids(field.stream_block.get_prep_value(field.stream_block.to_python(raw)))


def lesson_block(block):
    kind, value = block["type"], block["value"]
    if kind == "rich_text":
        return {"type": kind, "value": clean_lesson_html(value)}
    if kind == "case_study":
        value = {**value, "narrative": clean_lesson_html(value["narrative"])}
    if kind == "accordion":
        value = {
            **value,
            "items": [
                {**item, "answer": clean_lesson_html(item["answer"])} for item in value["items"]
            ],
        }
    return {"type": kind, "value": value}


def source_blocks(sources):
    if not sources:
        raise ContentError("every lesson needs at least one source")
    return [
        {
            "type": "source",
            "value": {
                "title": source["title"],
                "organisation": source["organisation"],
                "year": int(source["year"]) if source.get("year") else None,
                "url": source.get("url") or "",
            },
        }
        for source in sources
    ]


def save_page(parent, page_class, slug, fields, stream_fields=()):
    """Create the page under parent, or update it; publish only when something changed."""
    page = page_class.objects.child_of(parent).filter(slug=slug).first()
    created = page is None
    if created:
        page = page_class(slug=slug)
    changed = created
    for name, value in fields.items():
        if getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    for name, raw in stream_fields:
        wanted = normalised_stream(page_class, name, raw)
        if created or stream_prep(page, name) != wanted:
            setattr(page, name, raw)
            changed = True
    if created:
        parent.add_child(instance=page)
    elif changed:
        page.draft_title = page.title
        page.save()
    if changed:
        page.save_revision().publish()
    return page_class.objects.get(pk=page.pk)


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


def as_date(value):
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


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
    for lesson in data["lessons"]:
        save_page(
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
    return course


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
    from quizzes.demo_content import load_demo_assessments

    load_demo_assessments(courses)
    return courses
