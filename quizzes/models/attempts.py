import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attempt(models.Model):
    """One go at an assessment.

    The paper (questions, their order and the option order) and the scoring keys
    are frozen when the attempt starts, so later edits never change it. Answers are
    saved as the learner goes; the score is computed on the server at submission.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    assessment = models.ForeignKey(
        "quizzes.AssessmentPage", on_delete=models.PROTECT, related_name="attempts"
    )
    number = models.PositiveIntegerField(_("attempt number"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    # The limit this attempt runs under, with any reasonable adjustment the learner had
    # when it started: a later change to either leaves an attempt already open alone.
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True
    )
    # "extra_time:<percent>", "no_limit", or empty when no adjustment applied.
    adjustment = models.CharField(_("time adjustment"), max_length=30, blank=True, default="")
    paper = models.JSONField(_("paper"), default=list)
    keys = models.JSONField(_("scoring keys"), default=dict)
    answers = models.JSONField(_("saved answers"), default=dict)
    answers_saved_at = models.DateTimeField(_("answers saved"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=3, null=True, blank=True)
    max_score = models.PositiveIntegerField(_("maximum score"), default=0)
    percent = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "assessment", "number"], name="quizzes_attempt_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["assessment", "submitted_at"]),
            models.Index(fields=["user", "assessment", "-started_at"]),
        ]

    def __str__(self):
        return f"{self.user} – {self.assessment} #{self.number}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def adjustment_label(self):
        """The adjustment the attempt ran under, in the reader's language ("" for none)."""
        kind, _sep, percent = self.adjustment.partition(":")
        if kind == "no_limit":
            return _("no time limit")
        if kind == "extra_time" and percent:
            return _("%(percent)s%% extra time") % {"percent": percent}
        return ""


class AttemptAnswer(models.Model):
    """How one question of a submitted attempt was answered and marked (for statistics)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="marked_answers")
    question = models.ForeignKey(
        "quizzes.Question", on_delete=models.CASCADE, related_name="marked_answers"
    )
    points = models.DecimalField(_("marks"), max_digits=5, decimal_places=3)
    is_correct = models.BooleanField(_("fully correct"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="quizzes_answer_unique")
        ]

    def __str__(self):
        return f"{self.attempt} – question {self.question_id}"


class AnswerChoice(models.Model):
    """An option a learner picked (with its place, for ordering questions)."""

    answer = models.ForeignKey(AttemptAnswer, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(
        "quizzes.QuestionOption", on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return f"{self.answer} – option {self.option_id}"
