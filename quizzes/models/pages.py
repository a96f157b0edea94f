from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.snippets.blocks import SnippetChooserBlock

from core.page_context import ProvidedContextMixin
from core.page_routing import CheapViewRestrictionsMixin, HiddenWithParentMixin


class RandomQuestionsBlock(blocks.StructBlock):
    category = SnippetChooserBlock("quizzes.QuestionCategory", label=_("category"))
    count = blocks.IntegerBlock(label=_("number of questions"), min_value=1, max_value=50)

    class Meta:
        icon = "repeat"
        label = _("Random questions from a category")


class AssessmentItemsBlock(blocks.StreamBlock):
    question = SnippetChooserBlock("quizzes.Question", label=_("Question"), icon="help")
    scenario = SnippetChooserBlock("quizzes.ScenarioGroup", label=_("Scenario group"), icon="user")
    random_questions = RandomQuestionsBlock()


class ReviewPolicy(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_EACH = "after_each", _("After each attempt")
    ONCE_PASSED = "once_passed", _("Once passed")


class AssessmentLayout(models.TextChoices):
    ONE_PAGE = "one_page", _("All questions on one page")
    PAGED = "paged", _("One question per page")


class AssessmentPage(ProvidedContextMixin, CheapViewRestrictionsMixin, HiddenWithParentMixin, Page):
    """A knowledge check or final assessment inside a course, ordered with its lessons."""

    class Kind(models.TextChoices):
        KNOWLEDGE_CHECK = "knowledge_check", _("Knowledge check (not required)")
        FINAL = "final", _("Final assessment (required to complete the course)")

    template = "quizzes/assessment_page.html"
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.FINAL)
    introduction = models.TextField(_("introduction"), blank=True)
    items = StreamField(AssessmentItemsBlock(), verbose_name=_("questions"), min_num=1)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), default=0, help_text=_("0 means unlimited.")
    )
    cooldown_minutes = models.PositiveIntegerField(_("wait between attempts (minutes)"), default=0)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no time limit."),
    )
    layout = models.CharField(
        _("layout"),
        max_length=20,
        choices=AssessmentLayout.choices,
        default=AssessmentLayout.PAGED,
        help_text=_(
            "One question per page keeps a scenario's questions together on one page, "
            "after its story, and ends with a page to check the answers before submitting."
        ),
    )
    review_answers = models.CharField(
        _("learners may review their answers"),
        max_length=20,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.AFTER_EACH,
    )
    review_correct = models.CharField(
        _("learners may see the correct answers"),
        max_length=20,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.ONCE_PASSED,
    )
    review_feedback = models.CharField(
        _("learners may see feedback and explanations"),
        max_length=20,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.AFTER_EACH,
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("introduction"),
        FieldPanel("items"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("max_attempts"),
                FieldPanel("cooldown_minutes"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("shuffle_options"),
                FieldPanel("layout"),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("review_answers"),
                FieldPanel("review_correct"),
                FieldPanel("review_feedback"),
            ],
            heading=_("Review after an attempt"),
        ),
    ]

    class Meta:
        verbose_name = _("assessment")

    is_assessment = True

    @property
    def is_required(self):
        return self.kind == self.Kind.FINAL

    @property
    def is_paged(self):
        return self.layout == AssessmentLayout.PAGED

    # Read like a lesson's `required` flag by progress and course templates.
    required = is_required
