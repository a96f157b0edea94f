"""What every demo loader shares: reading the YAML files in content/, the blocks they
describe, and saving a page so that it is published only when the file changed it."""

import datetime
from pathlib import Path

import yaml
from django.conf import settings

from courses.html import clean_lesson_html

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
        if value.get("debrief"):
            value["debrief"] = clean_lesson_html(value["debrief"])
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


def as_date(value):
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
