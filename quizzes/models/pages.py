from fractions import Fraction

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.snippets.blocks import SnippetChooserBlock

from core.page_context import ProvidedContextMixin
from core.page_routing import CheapViewRestrictionsMixin, HiddenWithParentMixin

from .. import pools
from .bank import Question


class RandomQuestionsBlock(blocks.StructBlock):
    category = SnippetChooserBlock(
        "quizzes.QuestionCategory",
        label=_("Category"),
        help_text=_("Questions are drawn from this category's published questions."),
    )
    count = blocks.IntegerBlock(
        label=_("Number of questions"),
        min_value=1,
        max_value=50,
        help_text=_("How many each learner gets. Keep the category at least twice as large."),
    )

    class Meta:
        icon = "repeat"
        label = _("Random questions from a category")


class RandomScenariosBlock(blocks.StructBlock):
    category = SnippetChooserBlock(
        "quizzes.QuestionCategory",
        label=_("Category"),
        help_text=_("Scenario groups are drawn from this category's published groups."),
    )
    count = blocks.IntegerBlock(
        label=_("Number of scenario groups"),
        min_value=1,
        max_value=20,
        help_text=_("How many each learner gets. Keep the category at least twice as large."),
    )

    class Meta:
        icon = "repeat"
        label = _("Random scenario groups from a category")
        help_text = _("Each scenario group drawn is asked with all its questions.")


class AssessmentItemsBlock(blocks.StreamBlock):
    question = SnippetChooserBlock(
        "quizzes.Question",
        label=_("Question"),
        icon="help",
        help_text=_("Asked in every paper. Only its published version is shown to learners."),
    )
    scenario = SnippetChooserBlock(
        "quizzes.ScenarioGroup",
        label=_("Scenario group"),
        icon="user",
        help_text=_("Asked in every paper, with all its questions."),
    )
    random_questions = RandomQuestionsBlock()
    random_scenarios = RandomScenariosBlock()


class FeedbackPolicy(models.TextChoices):
    """When a learner sees the correct answers, the feedback and the explanations (the
    rule that applies it is learning.attempts.review_allowed)."""

    AFTER_EACH_ANSWER = "after_each_answer", _("After each answer (practice)")
    AFTER_SUBMISSION = "after_submission", _("After each attempt is submitted")
    ONCE_PASSED = "once_passed", _("Once passed, or when no attempts are left")


def one_decimal(number):
    number = round(float(number), 1)
    return int(number) if number.is_integer() else number


def pool_summary(items):
    """What the editor is shown about an assessment's random blocks: per block the pool
    and how much it draws, and for the whole paper the number of different papers and
    the share of questions a re-attempt sees again (quizzes/pools.py)."""
    present = [block for block in items if block.value]
    fixed_ids = {block.value.pk for block in present if block.block_type == "question"}
    fixed_scenarios = {block.value.pk for block in present if block.block_type == "scenario"}
    fixed = Question.objects.filter(live=True).filter(
        models.Q(pk__in=fixed_ids)
        | models.Q(scenario_id__in=fixed_scenarios, locale=F("scenario__locale"))
    )
    rows, draws = [], []
    for block in present:
        if block.block_type not in ("random_questions", "random_scenarios"):
            continue
        category, count = block.value["category"], block.value["count"]
        if category is None:
            continue
        if block.block_type == "random_questions":
            pool = (
                Question.objects.filter(category=category, scenario__isnull=True, live=True)
                .exclude(pk__in=fixed_ids)
                .count()
            )
            draw = pools.Draw(pool=pool, count=count)
        else:
            sizes = list(
                Question.objects.filter(
                    scenario__category=category,
                    scenario__live=True,
                    live=True,
                    locale=F("scenario__locale"),
                )
                .exclude(scenario_id__in=fixed_scenarios)
                .values("scenario_id")
                .annotate(size=Count("pk"))
                .values_list("size", flat=True)
            )
            per_item = Fraction(sum(sizes), len(sizes)) if sizes else Fraction(1)
            draw = pools.Draw(pool=len(sizes), count=count, questions_per_item=per_item)
        draws.append(draw)
        rows.append(
            {
                "scenarios": block.block_type == "random_scenarios",
                "category": category,
                "count": count,
                "pool": draw.pool,
                "questions_per_item": one_decimal(draw.questions_per_item),
                "too_small": draw.pool < count,
                "repeat_percent": round(draw.repeat_share * 100),
            }
        )
    share = pools.repeat_share(draws, fixed_questions=fixed.count())
    papers = pools.distinct_papers(draws)
    return {
        "rows": rows,
        "papers": papers,
        "many_papers": papers > pools.MANY_PAPERS,
        "repeat_percent": round(share * 100),
        "mostly_repeated": pools.mostly_repeated(share),
    }


class PoolPanel(HelpPanel):
    """Read-only: how varied the papers of the saved assessment are, with a warning when a
    re-attempt would be mostly the same questions. It never stops the page being saved."""

    def __init__(self, **kwargs):
        kwargs.setdefault("template", "quizzes/admin/pool_panel.html")
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["summary"] = pool_summary(page.items) if page.pk else None
            return context


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
    # Long enough to go back over the lessons before trying a final assessment again.
    cooldown_minutes = models.PositiveIntegerField(
        _("wait between attempts (minutes)"),
        default=60,
        help_text=_("Give learners time to revisit the lessons; 0 for practice."),
    )
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
    feedback = models.CharField(
        _("answers and feedback"),
        max_length=20,
        choices=FeedbackPolicy.choices,
        default=FeedbackPolicy.ONCE_PASSED,
        help_text=_(
            "When learners see the correct answers and explanations. Until then, a learner "
            "who did not pass sees their score and the topics to revisit."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("introduction"),
        FieldPanel("items"),
        PoolPanel(heading=_("Question pools")),
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
        FieldPanel("feedback"),
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
