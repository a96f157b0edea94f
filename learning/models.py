from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The extra time a trainer offers; administrators may set any percentage up to the
# maximum in the admin.
EXTRA_TIME_CHOICES = (25, 50, 100)
MOST_EXTRA_PERCENT = 500


class TimeAdjustment(models.Model):
    """A reasonable adjustment to an assessment's time limit for one learner: a
    percentage of extra time, or no limit at all. Without an assessment it applies to
    every assessment; one for a single assessment takes its place there
    (learning.adjustments.time_limit_for)."""

    class Kind(models.TextChoices):
        EXTRA_TIME = "extra_time", _("Extra time")
        NO_LIMIT = "no_limit", _("No time limit")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="time_adjustments",
    )
    assessment = models.ForeignKey(
        "quizzes.AssessmentPage",
        verbose_name=_("assessment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="time_adjustments",
        help_text=_("Leave empty for every assessment."),
    )
    kind = models.CharField(
        _("adjustment"), max_length=20, choices=Kind.choices, default=Kind.EXTRA_TIME
    )
    extra_percent = models.PositiveSmallIntegerField(
        _("extra time (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MOST_EXTRA_PERCENT)],
        help_text=_("For extra time: 50 gives one and a half times the time limit."),
    )
    # Seen by the learner's trainers and administrators only: it may mention health.
    note = models.TextField(_("note"), blank=True, max_length=1000)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set"), auto_now=True)

    class Meta:
        verbose_name = _("time adjustment")
        verbose_name_plural = _("time adjustments")
        ordering = ["learner_id", "assessment_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "assessment"],
                condition=Q(assessment__isnull=False),
                name="learning_adjustment_one_per_assessment",
                violation_error_message=_(
                    "This learner already has an adjustment for this assessment: change that one."
                ),
            ),
            models.UniqueConstraint(
                fields=["learner"],
                condition=Q(assessment__isnull=True),
                name="learning_adjustment_one_for_all",
                violation_error_message=_(
                    "This learner already has an adjustment for every assessment: change that one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="no_limit", extra_percent__isnull=True)
                | Q(kind="extra_time", extra_percent__gte=1, extra_percent__lte=MOST_EXTRA_PERCENT),
                name="learning_adjustment_kind_fits",
                violation_error_message=_(
                    "Give a percentage of extra time, or choose no time limit without one."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.learner} – {self.label}"

    def clean(self):
        if self.kind == self.Kind.EXTRA_TIME and not self.extra_percent:
            raise ValidationError({"extra_percent": _("Give the extra time as a percentage.")})
        if self.kind == self.Kind.NO_LIMIT:
            self.extra_percent = None

    @property
    def label(self):
        """What the adjustment gives, in the reader's language."""
        if self.kind == self.Kind.NO_LIMIT:
            return _("no time limit")
        return _("%(percent)s%% extra time") % {"percent": self.extra_percent}

    @property
    def where(self):
        return self.assessment.title if self.assessment_id else _("All assessments")

    @property
    def code(self):
        """How an attempt records the adjustment it ran under (quizzes.Attempt.adjustment)."""
        if self.kind == self.Kind.NO_LIMIT:
            return "no_limit"
        return f"extra_time:{self.extra_percent}"
