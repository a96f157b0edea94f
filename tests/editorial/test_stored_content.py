"""Hostile values stored straight in the database reach readers inert.

Imports, translation overrides and scripts write pages and snippets without the
admin's forms, so these tests do the same: every text, rich text, URL and StreamField
of every page type people read (and the question bank's snippets) is filled with
script links in their obfuscated forms, foreign images and frames and event handlers,
saved as a revision and published through the ORM, and the page is read in English
and in Welsh. The StreamField blocks are walked programmatically, so a new block type
or page type is covered (or the test says what value it needs).
"""

import html
import io
import re
import uuid

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.db import models
from django.test import TestCase
from django.urls import reverse
from PIL import Image as PILImage
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Locale, Page, get_page_models
from wagtail.snippets.blocks import SnippetChooserBlock

from core.csp import VIDEO_PLAYERS
from learning.attempts import start_attempt
from learning.progress import complete_lesson, enrol
from quizzes.models import Question, QuestionCategory, ScenarioGroup
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    home_page,
    make_assessment,
    make_catalogue,
    make_course,
    make_guidance,
    make_guidance_section,
    make_lesson,
    make_question,
    make_scenario,
    make_sector_page,
)
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db

# Ways of writing a script URL that a browser still runs (or a data: document).
HOSTILE_URLS = [
    "javascript:alert(1)",
    "  javascript:alert(2)",
    "\tjava\nscript:alert(3)",
    "JaVaScRiPt:alert(4)",
    "java&#x09;script:alert(5)",
    "&#106;avascript:alert(6)",
    "\x01javascript:alert(7)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==",
    "vbscript:msgbox(9)",
]
VARIANTS = len(HOSTILE_URLS)
SAFE_LINK = "https://www.gov.uk/government/publications/safeguarding-children"
FOREIGN_IMAGE = "https://tracker.example.net/pixel.png"
FOREIGN_FRAME = "https://evil.example.net/frame"
OWN_IMAGE_ALT = "Our own picture"
HOSTILE_TEXT = (
    "<script>alert('text')</script>"
    '<img src=x onerror="alert(1)">'
    '<a href="javascript:alert(1)">click</a>'
    '"><svg onload="alert(1)">'
)
VIDEO = "https://www.youtube.com/watch?v=safe-video"
HOSTILE_EMBED = "https://videos.example.net/watch/1"


def hostile_rich_text(image):
    links = "".join(
        f'<p><a href="{html.escape(url, quote=True)}">script link {number}</a></p>'
        for number, url in enumerate(HOSTILE_URLS)
    )
    return (
        links
        + f'<p><a href="{SAFE_LINK}">safe link</a></p>'
        + f'<p><img src="{FOREIGN_IMAGE}" alt="foreign picture"></p>'
        + '<p><img src="/media/images/../../elsewhere.png" alt="climbing picture"></p>'
        + '<img src="x" onerror="alert(10)">'
        + f'<iframe src="{FOREIGN_FRAME}">framed</iframe>'
        + '<iframe src="javascript:alert(11)"></iframe>'
        + '<iframe src="https://www.youtube.com.evil.example.net/embed/x"></iframe>'
        + '<p onclick="alert(12)" style="background:url(javascript:alert(13))">styled</p>'
        + "<script>alert(14)</script>"
        + f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="{OWN_IMAGE_ALT}"/>'
        + f'<embed embedtype="media" url="{HOSTILE_EMBED}"/>'
    )


def stored_embeds():
    """oEmbed results as stored in the database, so rendering never asks the network."""
    for url, markup in (
        (VIDEO, '<iframe src="https://www.youtube.com/embed/safe-video" title="v"></iframe>'),
        (
            HOSTILE_EMBED,
            f'<iframe src="{FOREIGN_FRAME}"></iframe><img src="{FOREIGN_IMAGE}">'
            '<script>alert(15)</script><a href="javascript:alert(16)">watch</a>',
        ),
    ):
        Embed.objects.create(
            url=url, hash=get_embed_hash(url, None, None), type="video", html=markup
        )


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return buffer.getvalue()


class Hostile:
    """Hostile values for any field or block, and the objects they point to."""

    def __init__(self):
        self.image = get_image_model().objects.create(
            title="Our picture", file=ContentFile(png_bytes(), name="ours.png")
        )
        stored_embeds()
        self.rich_text = hostile_rich_text(self.image)
        category = make_category_with_hostile_name()
        self.scenario = make_scenario(category=category)
        self.scenario.title = HOSTILE_TEXT
        self.scenario.stem = self.rich_text
        self.scenario.save()
        self.question = make_question(
            prompt=HOSTILE_TEXT,
            options=((HOSTILE_TEXT, True), ("No", False)),
            category=category,
        )
        self.question.explanation = HOSTILE_TEXT
        self.question.source_reference = HOSTILE_TEXT
        self.question.save()
        self.snippets = {
            Question: self.question,
            ScenarioGroup: self.scenario,
            QuestionCategory: category,
        }

    def block_value(self, block, variant=0):
        """Raw (database) data for a block, with every hostile variant where it repeats."""
        if isinstance(block, blocks.StreamBlock):
            return [
                {"type": name, "value": self.block_value(child, number), "id": str(uuid.uuid4())}
                for name, child in block.child_blocks.items()
                for number in range(VARIANTS if holds_urls(child) else 1)
            ]
        if isinstance(block, blocks.ListBlock):
            child = block.child_block
            return [
                self.block_value(child, number)
                for number in range(VARIANTS if holds_urls(child) else 1)
            ]
        if isinstance(block, blocks.StructBlock):
            return {
                name: self.block_value(child, variant) for name, child in block.child_blocks.items()
            }
        if isinstance(block, blocks.RichTextBlock):
            return self.rich_text
        if isinstance(block, EmbedBlock):
            return (VIDEO, HOSTILE_EMBED)[variant % 2]
        if isinstance(block, blocks.URLBlock):
            return HOSTILE_URLS[variant]
        if isinstance(block, ImageChooserBlock):
            return self.image.pk
        if isinstance(block, SnippetChooserBlock):
            return self.snippets[block.target_model].pk
        if isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
            return HOSTILE_TEXT
        if isinstance(block, blocks.IntegerBlock):
            return 1 if block.field.max_value and block.field.max_value < 1900 else 2020
        if isinstance(block, blocks.BooleanBlock):
            return True
        raise AssertionError(
            f"No hostile value for {type(block).__name__}: add one here so the block is tested."
        )

    def fill(self, page):
        """Every text, rich text, URL and StreamField of the page's own model."""
        page.title = HOSTILE_TEXT
        for field in type(page)._meta.get_fields():
            if getattr(field, "model", None) in (Page, None) or not field.concrete:
                continue
            if isinstance(field, StreamField):
                value = self.block_value(field.stream_block)
            elif isinstance(field, RichTextField):
                value = self.rich_text
            elif isinstance(field, models.URLField):
                value = HOSTILE_URLS[0]
            elif isinstance(field, (models.TextField, models.CharField)) and not (
                field.choices or isinstance(field, models.SlugField)
            ):
                value = HOSTILE_TEXT[: field.max_length] if field.max_length else HOSTILE_TEXT
            else:
                continue
            setattr(page, field.name, value)
        # As an import or a script would: no form, no validation.
        page.save_revision(clean=False).publish()
        page.refresh_from_db()
        return page


def holds_urls(block):
    """Whether a block has a URL inside, so it is repeated once for each hostile URL."""
    if isinstance(block, blocks.URLBlock):
        return True
    children = getattr(block, "child_blocks", None) or {}
    inner = [getattr(block, "child_block", None), *children.values()]
    return any(holds_urls(child) for child in inner if child is not None)


def make_category_with_hostile_name():
    return QuestionCategory.objects.create(
        slug="hostile", locale=Locale.get_default(), name=HOSTILE_TEXT[:200]
    )


def browser_reads(url):
    """A URL as a browser reads it: ends trimmed of controls and spaces, tabs and breaks gone."""
    return re.sub(r"[\t\n\r]", "", url.strip("".join(chr(c) for c in range(0x21)))).lower()


def assert_inert(content):
    """No script URL, handler, foreign image or frame, or injected script in the page."""
    soup = BeautifulSoup(content, "html.parser")
    problems = []
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                problems.append(f"handler {name} on <{element.name}>")
            is_url = name.lower() in ("href", "src", "action", "formaction", "poster", "data")
            if is_url and browser_reads(text).startswith(("javascript:", "data:", "vbscript:")):
                problems.append(f"<{element.name} {name}={text!r}>")
            if name.lower() == "style" and "javascript" in text.lower():
                problems.append(f"style on <{element.name}>")
    for image in soup.find_all("img"):
        if not image.get("src", "").startswith("/media/images/"):
            problems.append(f"foreign image {image}")
    for frame in soup.find_all("iframe"):
        if not frame.get("src", "").startswith(tuple(f"{player}/" for player in VIDEO_PLAYERS)):
            problems.append(f"foreign frame {frame}")
    for script in soup.find_all("script"):
        if not script.get("src", "").startswith("/static/"):
            problems.append(f"script {script}")
    for element in soup.find_all(["svg", "object", "embed"]):
        problems.append(f"<{element.name}>")
    assert not problems, "\n".join(problems)
    return soup


def assert_kept_what_is_ours(soup):
    """The checks remove only what is hostile: our picture, video and links stay."""
    assert soup.find("img", alt=OWN_IMAGE_ALT, src=re.compile(r"^/media/images/"))
    assert soup.find("a", href=SAFE_LINK)
    assert soup.find("iframe", src="https://www.youtube.com/embed/safe-video")


def builders():
    """One published page of each type people read, built with the test factories."""
    organisation = OrganisationFactory(name="Safe Charity", slug="safe-charity", sector="ngo")
    course = make_course(lessons=1)
    section = make_guidance_section(organisation)
    return {
        "home.HomePage": home_page().specific,
        "courses.CatalogueIndexPage": make_catalogue(),
        "courses.SectorIndexPage": make_sector_page("police").get_parent().specific,
        "courses.SectorPage": make_sector_page("health", title="Health").specific,
        "courses.CoursePage": course,
        "courses.LessonPage": course.lessons().first(),
        "quizzes.AssessmentPage": None,  # read through an attempt, below
        "guidance.GuidanceIndexPage": section.get_parent().specific,
        "guidance.GuidanceSectionPage": section,
        "guidance.GuidancePage": make_guidance(section),
    }


def page_types_people_read():
    project = {"home", "courses", "quizzes", "guidance", "certificates", "cohorts", "editorial"}
    return {model._meta.label for model in get_page_models() if model._meta.app_label in project}


def test_hostile_values_in_every_field_and_block_render_inert(client):
    hostile = Hostile()
    made = builders()
    assert set(made) == page_types_people_read(), "a new page type needs a builder here"
    pages = {label: page for label, page in made.items() if page is not None}
    for label, page in pages.items():
        page = hostile.fill(page)
        response = client.get(page.url)
        assert response.status_code == 200, label
        soup = assert_inert(response.content.decode())
        if label in ("courses.LessonPage", "guidance.GuidancePage"):
            assert_kept_what_is_ours(soup)
            # A refused source URL leaves its title as plain text, not a link.
            assert soup.select("li.source cite") and not soup.select("li.source a"), label
        if label in ("home.HomePage", "courses.SectorPage"):
            assert soup.find("img", alt=OWN_IMAGE_ALT) and soup.find("a", href=SAFE_LINK)


def test_hostile_values_in_welsh_translations_render_inert(client):
    hostile = Hostile()
    welsh = Locale.objects.get(language_code="cy")
    made = builders()
    # Organisations write guidance in English; the Welsh library lists their pages.
    hostile.fill(made["guidance.GuidancePage"])
    translated = (
        "courses.CoursePage",
        "courses.LessonPage",
        "courses.SectorPage",
        "guidance.GuidanceIndexPage",
    )
    for label in translated:
        translation = made[label].copy_for_translation(welsh, copy_parents=True)
        translation.save_revision(clean=False).publish()
        translation = hostile.fill(translation.specific)
        assert translation.url.startswith("/cy/")
        response = client.get(translation.url)
        assert response.status_code == 200, label
        soup = assert_inert(response.content.decode())
        if label == "courses.LessonPage":
            assert_kept_what_is_ours(soup)
        if label == "guidance.GuidanceIndexPage":
            assert soup.select(".card__title")


def test_hostile_question_bank_entries_render_inert_in_an_attempt(client):
    hostile = Hostile()
    course = make_course(lessons=1)
    assessment = make_assessment(course, scenarios=[hostile.scenario])
    hostile.question.scenario = hostile.scenario
    hostile.question.save()
    assessment = hostile.fill(assessment)
    learner = UserFactory(role="Learner")
    enrol(learner, course)
    complete_lesson(learner, course.lessons().first())
    with TestCase.captureOnCommitCallbacks(execute=True):
        attempt = start_attempt(learner, assessment)
    sign_in(client, learner.email)
    for url in (assessment.url, reverse("learning:attempt", args=[attempt.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())
    page = client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert "script link 0" in page and OWN_IMAGE_ALT in page


def test_source_links_keep_web_addresses_and_lose_script_urls(client):
    course = make_course(lessons=0)
    lesson = make_lesson(course, "Sources")
    lesson.sources = [
        {"type": "source", "value": {"title": f"Title {n}", "organisation": "O", "url": url}}
        for n, url in enumerate([*HOSTILE_URLS, SAFE_LINK, "mailto:help@example.org"])
    ]
    lesson.save_revision(clean=False).publish()
    soup = BeautifulSoup(client.get(lesson.url).content.decode(), "html.parser")
    links = [a["href"] for a in soup.select("li.source a")]
    assert links == [SAFE_LINK, "mailto:help@example.org"]
    cited = [cite.get_text() for cite in soup.select("li.source cite")]
    assert cited == [f"Title {n}" for n in range(VARIANTS)]
