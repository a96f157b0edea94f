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
    image = ImageChooserBlock(
        label=_("Image"),
        help_text=_("Choose an image that cannot identify a real child."),
    )
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    decorative = blocks.BooleanBlock(
        label=_("Decorative only"),
        required=False,
        help_text=_(
            "Tick only if the image adds nothing to the text; "
            "it is then hidden from screen readers."
        ),
    )
    caption = blocks.CharBlock(
        label=_("Caption"),
        required=False,
        max_length=250,
        help_text=_("Shown under the image. Credit the photographer here if you must."),
    )

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
    heading = blocks.CharBlock(
        label=_("Heading"),
        default=_("Key facts"),
        help_text=_("Shown above the facts, for example “Key facts”."),
    )
    facts = blocks.ListBlock(
        blocks.CharBlock(
            label=_("Fact"),
            help_text=_("One sentence. Say the period of any figure, for example “in 2024”."),
        ),
        min_num=1,
        label=_("Facts"),
    )

    class Meta:
        template = "core/blocks/key_facts.html"
        icon = "pick"
        label = _("Key facts")


class IndicatorChecklistBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), help_text=_("For example “Signs a child may be trafficked”.")
    )
    introduction = blocks.TextBlock(
        label=_("Introduction"),
        required=False,
        help_text=_("Optional: a sentence saying how to use the list."),
    )
    indicators = blocks.ListBlock(
        blocks.CharBlock(
            label=_("Indicator"),
            help_text=_("One sign per line, as a practitioner would notice it."),
        ),
        min_num=1,
        label=_("Indicators"),
    )

    class Meta:
        template = "core/blocks/indicator_checklist.html"
        icon = "list-ul"
        label = _("Indicator checklist")


class CaseStudyBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), help_text=_("For example: A girl at a nail bar."))
    fictional = blocks.BooleanBlock(
        label=_("Fictional"),
        required=False,
        default=True,
        help_text=_("Fictional cases are labelled as such for learners."),
    )
    narrative = RichTextBlock(
        label=_("Narrative"),
        features=SHORT_RICH_TEXT_FEATURES,
        help_text=_("What happened, in plain words. Use a name no other case in the course uses."),
    )
    reflection_prompts = blocks.ListBlock(
        blocks.CharBlock(
            label=_("Prompt"),
            help_text=_("A question for the learner, for example “What would you record?”."),
        ),
        min_num=1,
        label=_("Reflection prompts"),
    )
    # Learners reflect first, then compare their thoughts with what a good response
    # looks like; prompts with no answer leave a learner unsure whether they got it right.
    debrief = RichTextBlock(
        label=_("What good practice looks like"),
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
    heading = blocks.CharBlock(
        label=_("Heading"),
        default=_("What to do"),
        help_text=_("Shown above the steps, for example “What to do”."),
    )
    steps = blocks.ListBlock(
        blocks.CharBlock(
            label=_("Step"), help_text=_("One action, in the order the practitioner takes it.")
        ),
        min_num=1,
        label=_("Steps"),
    )

    class Meta:
        template = "core/blocks/what_to_do.html"
        icon = "list-ol"
        label = _("What to do (numbered steps)")


class LocalContactsBlock(blocks.StructBlock):
    """A list for learners to fill in and print: the national course cannot know who
    answers the phone in their area, and in a crisis they need it to hand."""

    heading = blocks.CharBlock(
        label=_("Heading"),
        default=_("Your local contacts"),
        help_text=_("Shown above the list learners fill in and print."),
    )
    introduction = blocks.TextBlock(
        label=_("Introduction"),
        required=False,
        help_text=_("Optional: why to find these contacts before they are needed."),
    )
    contacts = blocks.ListBlock(
        blocks.CharBlock(
            label=_("Contact to find"),
            help_text=_("For example: your children's services front door or MASH."),
        ),
        min_num=1,
        label=_("Contacts to find"),
    )

    class Meta:
        template = "core/blocks/local_contacts.html"
        icon = "list-ul"
        label = _("Local contacts to note")


class MythAndFactBlock(blocks.StructBlock):
    myth = blocks.TextBlock(
        label=_("Myth"), help_text=_("The mistaken belief, as people commonly put it.")
    )
    fact = blocks.TextBlock(
        label=_("Fact"),
        help_text=_("What is true instead, from a source listed with the lesson."),
    )

    class Meta:
        template = "core/blocks/myth_and_fact.html"
        icon = "help"
        label = _("Myth and fact")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(
        label=_("Quotation"),
        help_text=_("The exact words from the source. Never a made-up quotation."),
    )
    attribution = blocks.CharBlock(
        label=_("Attribution"), help_text=_("Who said or wrote it, and where.")
    )

    class Meta:
        template = "core/blocks/quote.html"
        icon = "openquote"
        label = _("Quote")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(
        label=_("Video URL"),
        help_text=_("The address of the video on its publisher's site, for example YouTube."),
    )
    title = blocks.CharBlock(
        label=_("Title"), help_text=_("Names the video for screen readers and the transcript.")
    )
    transcript = RichTextBlock(
        label=_("Transcript"),
        features=SHORT_RICH_TEXT_FEATURES,
        help_text=_("Required: a full transcript for people who cannot watch or hear the video."),
    )

    class Meta:
        template = "core/blocks/video.html"
        icon = "media"
        label = _("Video with transcript")


class AccordionItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(
        label=_("Question or heading"),
        help_text=_("What learners click to open this item."),
    )
    answer = RichTextBlock(
        label=_("Answer"),
        features=SHORT_RICH_TEXT_FEATURES,
        help_text=_("Shown when the item is opened."),
    )


class AccordionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        help_text=_("Optional: shown above the items."),
    )
    items = blocks.ListBlock(AccordionItemBlock(), min_num=1, label=_("Items"))

    class Meta:
        template = "core/blocks/accordion.html"
        icon = "folder-open-inverse"
        label = _("Accordion or FAQ")


class ContentNoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(
        label=_("Note"),
        help_text=_("Warn learners before distressing material, and say where to find support."),
    )

    class Meta:
        template = "core/blocks/content_note.html"
        icon = "warning"
        label = _("Content note")


class SourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Title"),
        help_text=_("The document's own title, as its publisher gives it."),
    )
    organisation = blocks.CharBlock(
        label=_("Organisation"),
        help_text=_("Who published it, for example Home Office or NSPCC."),
    )
    year = blocks.IntegerBlock(
        label=_("Year"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Leave empty for an undated web page rather than guessing."),
    )
    url = blocks.URLBlock(
        label=_("URL"),
        required=False,
        help_text=_(
            "Only the publisher's own copy; leave empty rather than link to a copy elsewhere."
        ),
    )

    class Meta:
        template = "core/blocks/source.html"
        icon = "link"
        label = _("Source")


class SourcesBlock(blocks.StructBlock):
    """A list of sources placed inside a body; lessons also end with their own sources."""

    sources = blocks.ListBlock(SourceBlock(), min_num=1, label=_("Sources"))

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
