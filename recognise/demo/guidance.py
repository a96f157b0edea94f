"""Demo guidance: an NGO's section, a published page and a draft waiting in review."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page

from accounts.models import Organisation, Sector, User
from courses.models import CoursePage
from guidance.models import GuidanceIndexPage, GuidancePage, GuidanceSectionPage, GuidanceSector
from recognise.editorial.ngo_access import ensure_ngo_access, grant_pages
from recognise.home.models import HomePage

from .loading import (
    ContentError,
    as_date,
    lesson_block,
    read_yaml,
    save_page,
    source_blocks,
)


def guidance_index(home):
    return save_page(
        home,
        GuidanceIndexPage,
        "guidance",
        {
            "title": "Guidance",
            "introduction": (
                "Practice guidance from organisations that work with trafficked children, "
                "reviewed for safeguarding before it is published."
            ),
        },
    )


def page_fields(data):
    return {
        "title": data["title"],
        "summary": data["summary"].strip(),
        "last_reviewed": as_date(data["last_reviewed"]),
        "next_review": as_date(data["next_review"]),
    }


def build_draft(section, data, editor):
    """A new guidance page saved as a draft by its editor and submitted for review."""
    page = GuidancePage(slug=data["slug"], live=False, owner=editor, **page_fields(data))
    page.body = [lesson_block(block) for block in data["body"]]
    page.sources = source_blocks(data["sources"])
    page.audience_sectors = [GuidanceSector(sector=sector) for sector in data["sectors"]]
    section.add_child(instance=page)
    page.tags.add(*data.get("topics", []))
    revision = page.save_revision(user=editor)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, editor)
    return revision


def load_guidance_file(path, index):
    data = read_yaml(path)
    organisation = Organisation.objects.filter(slug=data["organisation"]).first()
    if organisation is None:
        raise ContentError(f"{path.name}: no organisation {data['organisation']!r}")
    editor = User.objects.filter(email=data["editor"]).first()
    section = save_page(
        index,
        GuidanceSectionPage,
        organisation.slug,
        {
            "title": data["section_title"],
            "organisation_id": organisation.pk,
            "introduction": data["section_introduction"].strip(),
        },
    )
    group = ensure_ngo_access(organisation)
    course = CoursePage.objects.filter(
        slug=data.get("proposes_lessons_in", ""), locale=Locale.get_default()
    ).first()
    if course is not None:
        grant_pages(group, Page.objects.get(pk=course.pk))

    for page_data in data["pages"]:
        unknown = set(page_data["sectors"]) - set(Sector.values)
        if unknown:
            raise ContentError(f"{path.name}: unknown sectors {sorted(unknown)}")
        if page_data["status"] == "in_review":
            if not GuidancePage.objects.child_of(section).filter(slug=page_data["slug"]).exists():
                build_draft(section, page_data, editor)
            continue
        page = save_page(
            section,
            GuidancePage,
            page_data["slug"],
            page_fields(page_data),
            stream_fields=[
                ("body", [lesson_block(block) for block in page_data["body"]]),
                ("sources", source_blocks(page_data["sources"])),
            ],
        )
        wanted = list(page_data["sectors"])
        if [item.sector for item in page.audience_sectors.all()] != wanted or sorted(
            page.tags.names()
        ) != sorted(page_data.get("topics", [])):
            page.audience_sectors = [GuidanceSector(sector=sector) for sector in wanted]
            page.tags.set(page_data.get("topics", []))
            page.save_revision().publish()


@transaction.atomic
def load_demo_guidance():
    index = guidance_index(
        HomePage.objects.get(depth=2, locale__language_code=settings.LANGUAGE_CODE)
    )
    folder = Path(settings.BASE_DIR) / "content" / "guidance"
    for path in sorted(folder.glob("*.yaml")):
        load_guidance_file(path, index)
    return index
