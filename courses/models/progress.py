from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    """A learner taking a course: where they are up to and when they finished."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    # Refreshing an expiring certificate starts a new cycle: progress and passes before
    # this moment no longer count towards completing the course again.
    cycle_started_at = models.DateTimeField(_("current cycle started"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), auto_now=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Figures for trainers' dashboards, kept up to date by learning.progress_summary.
    items_done = models.PositiveIntegerField(_("required lessons and assessments done"), default=0)
    best_score = models.PositiveSmallIntegerField(_("best score (%)"), null=True, blank=True)
    attempted = models.BooleanField(_("has started an assessment"), default=False)
    certificate_expires_on = models.DateField(
        _("current certificate expires"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="courses_enrolment_unique")
        ]
        indexes = [
            models.Index(fields=["user", "-last_activity_at"]),
            # Completions per week on a course, for its dashboards' charts.
            models.Index(fields=["course", "completed_at"], name="courses_enrolment_completions"),
        ]

    def __str__(self):
        return f"{self.user} on {self.course}"

    @property
    def is_complete(self):
        return self.completed_at is not None


class LessonCompletion(models.Model):
    """A learner said they finished a lesson (by pressing "mark as complete")."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completions")
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField(_("completed"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson completion")
        verbose_name_plural = _("lesson completions")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson"], name="courses_lessoncompletion_unique"
            )
        ]

    def __str__(self):
        return f"{self.enrolment.user} completed {self.lesson}"
