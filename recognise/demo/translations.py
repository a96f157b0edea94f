"""Welsh versions of the demo home, sector, course and guidance pages, from the files in
content/cy/ (the Welsh questions are in assessments.py). Each page is a translation of
its English original, so a learner's progress carries across languages."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page

from courses.models import CatalogueIndexPage, CoursePage, LessonPage, SectorIndexPage, SectorPage
from guidance.models import GuidanceIndexPage, GuidancePage, GuidanceSectionPage
from recognise.home.models import HomePage

from .loading import (
    as_date,
    lesson_block,
    normalised_stream,
    read_yaml,
    source_blocks,
    stream_prep,
)

CY_DIR = Path(settings.BASE_DIR) / "content" / "cy"

HOME_CY = {
    "title": "Recognise",
    "strapline": (
        "Hyfforddiant i ymarferwyr yn y DU a allai gwrdd â phlentyn sydd wedi'i fasnachu: "
        "staff yr heddlu, gofal cymdeithasol, ffiniau, iechyd, addysg a'r sector gwirfoddol."
    ),
    "intro": (
        "<p>Yn aml, nid yw plant sydd wedi'u masnachu yn cael eu hadnabod fel dioddefwyr. "
        "Mae'r cyrsiau hyn yn eich helpu i sylwi ar yr arwyddion yn eich gwaith, gwybod beth "
        "i'w wneud nesaf, a gweithio gydag asiantaethau eraill i gadw'r plentyn yn ddiogel.</p>"
    ),
}
INDEX_TITLES_CY = {
    CatalogueIndexPage: (
        "Cyrsiau",
        "Dechreuwch gyda'r cwrs craidd, yna dilynwch y cwrs ar gyfer eich sector.",
    ),
    GuidanceIndexPage: (
        "Canllawiau",
        "Canllawiau ymarfer gan sefydliadau sy'n gweithio gyda phlant sydd wedi'u masnachu, "
        "wedi'u hadolygu ar gyfer diogelu cyn eu cyhoeddi. Mae rhai canllawiau ar gael yn "
        "Saesneg yn unig.",
    ),
    SectorIndexPage: (
        "Eich sector",
        "Mae pob sector yn cwrdd â phlant sydd wedi'u masnachu mewn ffyrdd gwahanol. "
        "Dechreuwch gyda'r dudalen ar gyfer eich gwaith.",
    ),
}


def welsh(page, locale):
    """The Welsh translation of a page, created (with its parents) when missing."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    return page.copy_for_translation(locale, copy_parents=True).specific


def publish(page, fields, stream_fields=()):
    changed = not page.live
    for name, value in fields.items():
        if getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    for name, raw in stream_fields:
        if stream_prep(page, name) != normalised_stream(type(page), name, raw):
            setattr(page, name, raw)
            changed = True
    if changed:
        page.draft_title = page.title
        page.save_revision().publish()
    return page


@transaction.atomic
def load_welsh_demo_pages():
    locale = Locale.objects.get(language_code="cy")
    home = HomePage.objects.get(depth=2, locale=Locale.get_default())
    publish(welsh(home, locale), HOME_CY)
    for model, (title, introduction) in INDEX_TITLES_CY.items():
        english = model.objects.filter(locale=Locale.get_default()).first()
        if english:
            publish(welsh(english, locale), {"title": title, "introduction": introduction})

    for entry in read_yaml(CY_DIR / "sectors.yaml") if (CY_DIR / "sectors.yaml").exists() else []:
        english = SectorPage.objects.filter(
            sector=entry["sector"], locale=Locale.get_default()
        ).first()
        if english:
            publish(
                welsh(english, locale),
                {
                    "title": entry["title"],
                    "introduction": entry["introduction"].strip(),
                    "responsibilities": lesson_block(
                        {"type": "rich_text", "value": entry["responsibilities"]}
                    )["value"],
                },
            )

    for path in sorted((CY_DIR / "courses").glob("*.yaml")):
        data = read_yaml(path)
        english = CoursePage.objects.filter(slug=data["slug"], locale=Locale.get_default()).first()
        if english is None:
            continue
        course = publish(
            welsh(english, locale),
            {
                "title": data["title"],
                "summary": data["summary"].strip(),
                "content_note": (data.get("content_note") or "").strip(),
                "last_reviewed": as_date(data["last_reviewed"]),
                "next_review": as_date(data["next_review"]),
            },
            stream_fields=[
                (
                    "learning_outcomes",
                    [{"type": "outcome", "value": o} for o in data["learning_outcomes"]],
                ),
            ],
        )
        for lesson_data in data["lessons"]:
            english_lesson = (
                LessonPage.objects.child_of(english).filter(slug=lesson_data["slug"]).first()
            )
            if english_lesson is None:
                continue
            publish(
                welsh(english_lesson, locale),
                {
                    "title": lesson_data["title"],
                    "summary": (lesson_data.get("summary") or "").strip(),
                },
                stream_fields=[
                    ("body", [lesson_block(block) for block in lesson_data["body"]]),
                    ("sources", source_blocks(lesson_data.get("sources"))),
                ],
            )
        for child in Page.objects.child_of(english).not_type(LessonPage).live():
            translated = welsh(child.specific, locale)
            if not translated.live:
                translated.save_revision().publish()
        course.refresh_from_db()
        mirror_order(english, course, locale)
    return locale


def mirror_order(english, welsh_parent, locale):
    """Give the Welsh pages under a course the English order (a translation is added at
    the end, so a knowledge check would otherwise follow every lesson in Welsh)."""
    previous = None
    for child in english.get_children():
        translated = child.get_translation_or_none(locale)
        if translated is None:
            continue
        translated = Page.objects.get(pk=translated.pk)
        before = translated.get_prev_sibling()
        if previous is None:
            if before is not None:
                translated.move(Page.objects.get(pk=welsh_parent.pk), pos="first-child")
        elif before is None or before.pk != previous.pk:
            translated.move(Page.objects.get(pk=previous.pk), pos="right")
        previous = translated


@transaction.atomic
def load_welsh_guidance():
    """Welsh versions of published guidance pages, from content/cy/guidance/. A page still
    in review has no Welsh version until its English original is published."""
    locale = Locale.objects.get(language_code="cy")
    for path in sorted((CY_DIR / "guidance").glob("*.yaml")):
        data = read_yaml(path)
        section = GuidanceSectionPage.objects.filter(
            organisation__slug=data["organisation"], locale=Locale.get_default()
        ).first()
        if section is None:
            continue
        # The section first: a page translated before its parent would get an alias parent.
        publish(
            welsh(section, locale),
            {
                "title": data["section_title"],
                "introduction": data["section_introduction"].strip(),
            },
        )
        for page_data in data["pages"]:
            english = GuidancePage.objects.child_of(section).live().filter(slug=page_data["slug"])
            english = english.first()
            if english is None:
                continue
            page = welsh(english, locale)
            topics = list(page_data.get("topics") or [])
            # Topics are free tags, not translated strings: the Welsh page has its own.
            retag = sorted(page.tags.names()) != sorted(topics)
            if retag:
                page.tags.set(topics)
            revision = page.latest_revision_id
            publish(
                page,
                {"title": page_data["title"], "summary": page_data["summary"].strip()},
                stream_fields=[
                    ("body", [lesson_block(block) for block in page_data["body"]]),
                    ("sources", source_blocks(page_data.get("sources"))),
                ],
            )
            if retag and page.latest_revision_id == revision:
                page.save_revision().publish()
