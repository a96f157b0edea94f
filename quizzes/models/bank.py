from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index

from .. import scoring
from ..forms import QuestionForm, ScenarioGroupForm


class ReviewedTranslationMixin:
    """A new translation of a reviewed snippet starts as a draft of its own: it is not
    live, and carries none of the original's publishing or locking, until it has been
    through review and publication like any other change."""

    def copy_for_translation(self, locale, exclude_fields=None):
        translated = super().copy_for_translation(locale, exclude_fields=exclude_fields)
        translated.live = False
        translated.has_unpublished_changes = True
        translated.live_revision = None
        translated.first_published_at = None
        translated.last_published_at = None
        translated.go_live_at = None
        translated.expire_at = None
        translated.expired = False
        translated.locked = False
        translated.locked_at = None
        translated.locked_by = None
        return translated


class QuestionCategory(TranslatableMixin, models.Model):
    """A topic in the question bank, e.g. "Core: definitions"; assessments can draw from it.

    Its course says whose question it is: the editors of an organisation that
    contributes to that course may propose questions in it (quizzes/question_access.py).
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Editors of the organisations contributing to this course may propose questions "
            "in this category; empty means only publishers may."
        ),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("course")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="quizzes_category_slug_locale")
        ]

    def __str__(self):
        return self.name


class ScenarioGroup(
    ReviewedTranslationMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    index.Indexed,
    models.Model,
):
    """A case-study stem that several questions share; learners read it before them.

    Like questions, a stem goes through safeguarding review and publication approval
    (the "Safeguarding review and publication" workflow): an edit waits in a revision,
    and learners read the live row only. A stem never published is never asked, nor
    are its questions (learning/attempts.py).
    """

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=100)
    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    stem = RichTextField(
        _("scenario"),
        features=["bold", "italic"],
        help_text=_("Say at the start if the scenario is fictional."),
    )
    # Deleting a scenario group deletes its revisions too.
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="scenario_group")

    base_form_class = ScenarioGroupForm
    panels = [FieldPanel("title"), FieldPanel("slug"), FieldPanel("category"), FieldPanel("stem")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("scenario group")
        verbose_name_plural = _("scenario groups")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="quizzes_scenario_slug_locale")
        ]

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions


class Question(
    ReviewedTranslationMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    index.Indexed,
    ClusterableModel,
):
    """One question in the bank, with its options, explanation and source.

    Changes are saved as revisions and go through the same two steps as pages (the
    "Safeguarding review and publication" workflow, assigned to the model): safeguarding
    review, then publication approval. Learners only ever get the live (published)
    version. While a question is in review it is locked to everyone but that step's
    reviewers, so what is approved is what was reviewed.
    """

    class Kind(models.TextChoices):
        SINGLE = scoring.SINGLE, _("Single choice")
        MULTIPLE = scoring.MULTIPLE, _("Multiple response")
        TRUE_FALSE = scoring.TRUE_FALSE, _("True or false")
        ORDERING = scoring.ORDERING, _("Put in order")

    class Rule(models.TextChoices):
        ALL_OR_NOTHING = scoring.ALL_OR_NOTHING, _("All or nothing")
        PARTIAL = scoring.PARTIAL, _("Partial credit, wrong picks take marks away (never below 0)")

    slug = models.SlugField(_("slug"), max_length=100)
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    scenario = models.ForeignKey(
        ScenarioGroup,
        verbose_name=_("scenario group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
        help_text=_("Questions in a scenario group are asked together, after its stem."),
    )
    position_in_scenario = models.PositiveSmallIntegerField(_("position in scenario"), default=0)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.SINGLE)
    scoring_rule = models.CharField(
        _("scoring (multiple response)"),
        max_length=20,
        choices=Rule.choices,
        default=Rule.ALL_OR_NOTHING,
    )
    prompt = models.TextField(_("question"))
    explanation = models.TextField(
        _("explanation"), help_text=_("Why the right answer is right; shown in review.")
    )
    source_reference = models.CharField(
        _("source"), max_length=500, help_text=_("Title, organisation, year.")
    )
    # Deleting a question deletes its revisions too.
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="question")

    base_form_class = QuestionForm
    panels = [
        FieldPanel("prompt"),
        FieldPanel("kind"),
        FieldPanel("scoring_rule"),
        FieldPanel("category"),
        FieldPanel("scenario"),
        FieldPanel("position_in_scenario"),
        InlinePanel(
            "options",
            label=_("Options (for ordering questions: the steps in the correct order)"),
            min_num=2,
        ),
        FieldPanel("explanation"),
        FieldPanel("source_reference"),
        FieldPanel("slug"),
    ]
    search_fields = [index.SearchField("prompt"), index.AutocompleteField("prompt")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category", "scenario", "position_in_scenario", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="quizzes_question_slug_locale")
        ]

    def __str__(self):
        return self.prompt[:80]

    @property
    def revisions(self):
        return self._revisions

    def key(self, options):
        """The frozen scoring key for this question, given its options in editor order."""
        return scoring.QuestionKey(
            kind=self.kind,
            option_ids=tuple(option.pk for option in options),
            correct_ids=frozenset(option.pk for option in options if option.is_correct),
            rule=self.scoring_rule,
        )


class QuestionOption(Orderable):
    """An answer option; its order is the correct order for ordering questions."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(_("feedback"), blank=True)

    panels = [FieldPanel("text"), FieldPanel("is_correct"), FieldPanel("feedback")]

    def __str__(self):
        return self.text
