import pytest
from django.core.exceptions import ValidationError
from django.template.loader import get_template
from wagtail.blocks import StructBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from core.blocks import (
    AccordionBlock,
    CaseStudyBlock,
    ContentNoteBlock,
    ImageBlock,
    IndicatorChecklistBlock,
    KeyFactsBlock,
    LessonBodyBlock,
    MythAndFactBlock,
    QuoteBlock,
    RichTextBlock,
    SourceBlock,
    SourcesBlock,
    VideoBlock,
    WhatToDoBlock,
)

pytestmark = pytest.mark.django_db


def render(block, raw):
    return block.render(block.to_python(raw))


def test_every_lesson_block_has_its_own_existing_template():
    for name, block in LessonBodyBlock().child_blocks.items():
        template = block.meta.template
        assert template, name
        assert get_template(template)


def test_rich_text_renders_and_keeps_headings_and_links():
    html = render(
        RichTextBlock(), '<h2>Signs</h2><p>See <a href="https://example.org">this</a></p>'
    )
    assert "<h2>Signs</h2>" in html
    assert 'href="https://example.org"' in html


def test_rich_text_offers_only_the_restricted_features():
    assert set(RichTextBlock().features) == {"h2", "h3", "bold", "italic", "ol", "ul", "link"}


def test_image_renders_with_alt_text_and_caption():
    image = Image.objects.create(title="Photo", file=get_test_image_file())
    html = render(
        ImageBlock(),
        {"image": image.pk, "alt_text": "A school gate", "decorative": False, "caption": "Gate"},
    )
    assert 'alt="A school gate"' in html
    assert "<figcaption>Gate</figcaption>" in html


def test_decorative_image_has_empty_alt_text():
    image = Image.objects.create(title="Photo", file=get_test_image_file())
    html = render(ImageBlock(), {"image": image.pk, "alt_text": "", "decorative": True})
    assert 'alt=""' in html


def test_image_without_alt_text_must_be_marked_decorative():
    image = Image.objects.create(title="Photo", file=get_test_image_file())
    block = ImageBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"image": image.pk, "alt_text": " ", "decorative": False}))
    assert "alt_text" in error.value.block_errors


def test_key_facts_render_as_a_list():
    html = render(KeyFactsBlock(), {"heading": "Remember", "facts": ["One", "Two"]})
    assert "<h2" in html and "Remember" in html
    assert "<li>One</li>" in html and "<li>Two</li>" in html


def test_indicator_checklist_renders():
    html = render(
        IndicatorChecklistBlock(),
        {"heading": "Signs", "introduction": "Look for:", "indicators": ["Has no documents"]},
    )
    assert "Signs" in html and "Look for:" in html and "<li>Has no documents</li>" in html


def test_case_study_says_it_is_fictional_and_lists_prompts():
    html = render(
        CaseStudyBlock(),
        {
            "title": "A",
            "fictional": True,
            "narrative": "<p>Story</p>",
            "reflection_prompts": ["What would you do?"],
        },
    )
    assert "This case study is fictional." in html
    assert "<p>Story</p>" in html
    assert "<li>What would you do?</li>" in html


def test_what_to_do_steps_are_numbered():
    html = render(WhatToDoBlock(), {"heading": "Act", "steps": ["First", "Second"]})
    assert "<ol>" in html and "<li>First</li>" in html


def test_myth_and_fact_renders_both():
    html = render(MythAndFactBlock(), {"myth": "Children consent", "fact": "Consent is irrelevant"})
    assert "Myth" in html and "Children consent" in html
    assert "Fact" in html and "Consent is irrelevant" in html


def test_quote_has_attribution():
    html = render(QuoteBlock(), {"text": "Words", "attribution": "A person, 2020"})
    assert "<blockquote><p>Words</p></blockquote>" in html
    assert "<figcaption>A person, 2020</figcaption>" in html


def test_video_requires_a_transcript():
    block = VideoBlock()
    with pytest.raises(ValidationError):
        block.clean(
            block.to_python({"video": "https://example.org/v", "title": "T", "transcript": ""})
        )


def test_video_renders_its_transcript():
    block = VideoBlock()
    value = block.to_python({"video": None, "title": "Talk", "transcript": "<p>Said this</p>"})
    html = block.render(value)
    assert "Transcript" in html and "<p>Said this</p>" in html


def test_accordion_uses_native_details_for_keyboard_use():
    html = render(
        AccordionBlock(),
        {"heading": "FAQ", "items": [{"question": "Q1?", "answer": "<p>A1</p>"}]},
    )
    assert "<details" in html and "<summary>Q1?</summary>" in html and "<p>A1</p>" in html


def test_content_note_renders():
    html = render(ContentNoteBlock(), {"text": "Describes abuse."})
    assert "Content note:" in html and "Describes abuse." in html


def test_source_with_and_without_url():
    with_url = render(
        SourceBlock(),
        {"title": "Act", "organisation": "Parliament", "year": 2015, "url": "https://x.test/a"},
    )
    assert '<a href="https://x.test/a">Act</a>, Parliament, 2015' in with_url
    without = render(SourceBlock(), {"title": "Act", "organisation": "Parliament", "year": 2015})
    assert "<cite>Act</cite>, Parliament, 2015" in without


def test_sources_block_lists_sources():
    html = render(
        SourcesBlock(),
        {"sources": [{"title": "Act", "organisation": "Parliament", "year": 2015, "url": ""}]},
    )
    assert "Sources" in html and "<cite>Act</cite>" in html


def test_undated_source_says_so_rather_than_guessing_a_year():
    html = render(
        SourceBlock(), {"title": "Guidance page", "organisation": "Council", "year": None}
    )
    assert "<cite>Guidance page</cite>, Council, undated" in html
