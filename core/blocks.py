"""StreamField blocks for lessons and guidance.

Each block renders through its own template under core/blocks/. Rich text uses
a restricted feature set, and Wagtail's rich text whitelist strips anything else.
"""

from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

LESSON_RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]
SHORT_RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", LESSON_RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        template = "core/blocks/rich_text.html"
        icon = "doc-full"
        label = _("Text")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    decorative = blocks.BooleanBlock(
        label=_("decorative only"),
        required=False,
        help_text=_(
            "Tick only if the image adds nothing to the text; "
            "it is then hidden from screen readers."
        ),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("decorative") and not (value.get("alt_text") or "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={
                    "alt_text": ErrorList(
                        [_("Add alternative text, or mark the image as decorative.")]
                    )
                }
            )
        return value

    class Meta:
        template = "core/blocks/image.html"
        icon = "image"
        label = _("Image")


class KeyFactsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), default=_("Key facts"))
    facts = blocks.ListBlock(blocks.CharBlock(label=_("fact")), min_num=1, label=_("facts"))

    class Meta:
        template = "core/blocks/key_facts.html"
        icon = "pick"
        label = _("Key facts")


class IndicatorChecklistBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"))
    introduction = blocks.TextBlock(label=_("introduction"), required=False)
    indicators = blocks.ListBlock(
        blocks.CharBlock(label=_("indicator")), min_num=1, label=_("indicators")
    )

    class Meta:
        template = "core/blocks/indicator_checklist.html"
        icon = "list-ul"
        label = _("Indicator checklist")


class CaseStudyBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    fictional = blocks.BooleanBlock(
        label=_("fictional"),
        required=False,
        default=True,
        help_text=_("Fictional cases are labelled as such for learners."),
    )
    narrative = RichTextBlock(label=_("narrative"), features=SHORT_RICH_TEXT_FEATURES)
    reflection_prompts = blocks.ListBlock(
        blocks.CharBlock(label=_("prompt")), min_num=1, label=_("reflection prompts")
    )
    # Learners reflect first, then compare their thoughts with what a good response
    # looks like; prompts with no answer leave a learner unsure whether they got it right.
    debrief = RichTextBlock(
        label=_("what good practice looks like"),
        features=SHORT_RICH_TEXT_FEATURES,
        required=False,
        help_text=_(
            "A short debrief learners open after reflecting: what a good response to this "
            "case would be, following the prompts."
        ),
    )

    class Meta:
        template = "core/blocks/case_study.html"
        icon = "user"
        label = _("Case study")


class WhatToDoBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), default=_("What to do"))
    steps = blocks.ListBlock(blocks.CharBlock(label=_("step")), min_num=1, label=_("steps"))

    class Meta:
        template = "core/blocks/what_to_do.html"
        icon = "list-ol"
        label = _("What to do (numbered steps)")


class LocalContactsBlock(blocks.StructBlock):
    """A list for learners to fill in and print: the national course cannot know who
    answers the phone in their area, and in a crisis they need it to hand."""

    heading = blocks.CharBlock(label=_("heading"), default=_("Your local contacts"))
    introduction = blocks.TextBlock(label=_("introduction"), required=False)
    contacts = blocks.ListBlock(
        blocks.CharBlock(
            label=_("contact to find"),
            help_text=_("For example: your children's services front door or MASH."),
        ),
        min_num=1,
        label=_("contacts to find"),
    )

    class Meta:
        template = "core/blocks/local_contacts.html"
        icon = "list-ul"
        label = _("Local contacts to note")


class MythAndFactBlock(blocks.StructBlock):
    myth = blocks.TextBlock(label=_("myth"))
    fact = blocks.TextBlock(label=_("fact"))

    class Meta:
        template = "core/blocks/myth_and_fact.html"
        icon = "help"
        label = _("Myth and fact")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(
        label=_("attribution"), help_text=_("Who said or wrote it, and where.")
    )

    class Meta:
        template = "core/blocks/quote.html"
        icon = "openquote"
        label = _("Quote")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video URL"))
    title = blocks.CharBlock(label=_("title"))
    transcript = RichTextBlock(
        label=_("transcript"),
        features=SHORT_RICH_TEXT_FEATURES,
        help_text=_("Required: a full transcript for people who cannot watch or hear the video."),
    )

    class Meta:
        template = "core/blocks/video.html"
        icon = "media"
        label = _("Video with transcript")


class AccordionItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question or heading"))
    answer = RichTextBlock(label=_("answer"), features=SHORT_RICH_TEXT_FEATURES)


class AccordionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False)
    items = blocks.ListBlock(AccordionItemBlock(), min_num=1, label=_("items"))

    class Meta:
        template = "core/blocks/accordion.html"
        icon = "folder-open-inverse"
        label = _("Accordion or FAQ")


class ContentNoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(
        label=_("note"),
        help_text=_("Warn learners before distressing material, and say where to find support."),
    )

    class Meta:
        template = "core/blocks/content_note.html"
        icon = "warning"
        label = _("Content note")


class SourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    organisation = blocks.CharBlock(label=_("organisation"))
    year = blocks.IntegerBlock(
        label=_("year"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Leave empty for an undated web page rather than guessing."),
    )
    url = blocks.URLBlock(label=_("URL"), required=False)

    class Meta:
        template = "core/blocks/source.html"
        icon = "link"
        label = _("Source")


class SourcesBlock(blocks.StructBlock):
    """A list of sources placed inside a body; lessons also end with their own sources."""

    sources = blocks.ListBlock(SourceBlock(), min_num=1, label=_("sources"))

    class Meta:
        template = "core/blocks/sources.html"
        icon = "link"
        label = _("Sources")


class LessonBodyBlock(blocks.StreamBlock):
    rich_text = RichTextBlock()
    image = ImageBlock()
    key_facts = KeyFactsBlock()
    indicator_checklist = IndicatorChecklistBlock()
    case_study = CaseStudyBlock()
    what_to_do = WhatToDoBlock()
    myth_and_fact = MythAndFactBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    accordion = AccordionBlock()
    content_note = ContentNoteBlock()
    local_contacts = LocalContactsBlock()
    sources = SourcesBlock()
