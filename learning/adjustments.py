"""Reasonable adjustments to assessment time limits (WCAG 2.2.1, Equality Act 2010).

time_limit_for() is the one place that says what limit a learner has at an assessment;
set_adjustment() and remove_adjustment() are the one way an adjustment changes, each
recorded in the audit log (without the note, which may mention a person's health).
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from wagtail.models import Page

from audit.models import Action
from audit.records import record, user_label
from core.page_languages import original
from courses.models import CoursePage

from .models import TimeAdjustment


@dataclass(frozen=True)
class AppliedLimit:
    """The limit a learner works under at one assessment."""

    minutes: int | None  # None: no time limit
    adjustment: TimeAdjustment | None  # the adjustment that changed it, if any

    @property
    def code(self):
        """What an attempt records of the adjustment (quizzes.Attempt.adjustment)."""
        return self.adjustment.code if self.adjustment else ""

    @property
    def label(self):
        return self.adjustment.label if self.adjustment else ""


def extended_minutes(minutes, percent):
    """The limit with `percent` extra time, rounded up to a whole minute in the
    learner's favour."""
    return -(-minutes * (100 + percent) // 100)


def adjustment_for(user, assessment):
    """The adjustment that applies at an (original-language) assessment: the one for it,
    else the learner's one for every assessment, else None."""
    if not user.is_authenticated:
        return None
    found = {
        adjustment.assessment_id: adjustment
        for adjustment in TimeAdjustment.objects.filter(
            Q(assessment=assessment) | Q(assessment__isnull=True), learner=user
        )
    }
    return found.get(assessment.pk) or found.get(None)


def time_limit_for(user, assessment):
    """The time limit `user` has at `assessment`: the assessment's own, changed by the
    learner's adjustment (the specific one before the general one)."""
    assessment = original(assessment)
    base = assessment.time_limit_minutes or None
    if base is None:
        # No limit to adjust; nothing to look up.
        return AppliedLimit(None, None)
    adjustment = adjustment_for(user, assessment)
    if adjustment is None:
        return AppliedLimit(base, None)
    if adjustment.kind == TimeAdjustment.Kind.NO_LIMIT:
        return AppliedLimit(None, adjustment)
    return AppliedLimit(extended_minutes(base, adjustment.extra_percent), adjustment)


def with_course_titles(assessments):
    """The assessments, each with `full_title` naming its course too: every course's
    final assessment may have the same title."""
    assessments = list(assessments)
    parents = {assessment.path[: -Page.steplen] for assessment in assessments}
    courses = dict(CoursePage.objects.filter(path__in=parents).values_list("path", "title"))
    for assessment in assessments:
        course = courses.get(assessment.path[: -Page.steplen])
        assessment.full_title = f"{course} – {assessment.title}" if course else assessment.title
    return assessments


def adjustments_of(user):
    """A learner's adjustments, the one for every assessment first; each assessment has
    its `full_title`."""
    adjustments = list(
        TimeAdjustment.objects.filter(learner=user)
        .select_related("assessment", "set_by")
        .order_by(F("assessment__title").asc(nulls_first=True), "pk")
    )
    with_course_titles(adjustment.assessment for adjustment in adjustments if adjustment.assessment)
    return adjustments


def describe(adjustment):
    """How the audit log names an adjustment: whose, where and what (never the note)."""
    where = (
        f"“{with_course_titles([adjustment.assessment])[0].full_title}”"
        if adjustment.assessment_id
        else "every assessment"
    )
    what = (
        "no time limit"
        if adjustment.kind == TimeAdjustment.Kind.NO_LIMIT
        else f"{adjustment.extra_percent}% extra time"
    )
    return f"{what} for {user_label(adjustment.learner)} at {where}"


def audit_data(adjustment):
    return {
        "learner_id": adjustment.learner_id,
        "assessment_id": adjustment.assessment_id,
        "kind": adjustment.kind,
        "extra_percent": adjustment.extra_percent,
    }


@transaction.atomic
def set_adjustment(learner, assessment, kind, extra_percent, note, by):
    """Give `learner` the adjustment at `assessment` (None: every assessment), replacing
    any they had there. Returns the adjustment and whether it was new."""
    if assessment is not None:
        assessment = original(assessment)
    if kind == TimeAdjustment.Kind.NO_LIMIT:
        extra_percent = None
    for last_try in (False, True):
        adjustment = (
            TimeAdjustment.objects.select_for_update()
            .filter(learner=learner, assessment=assessment)
            .first()
        )
        created = adjustment is None
        before = None if created else describe(adjustment)
        if created:
            adjustment = TimeAdjustment(learner=learner, assessment=assessment)
        adjustment.kind = kind
        adjustment.extra_percent = extra_percent
        adjustment.note = note
        adjustment.set_by = by
        try:
            with transaction.atomic():
                adjustment.save()
        except IntegrityError:
            # Someone set one for the same place at the same moment: change theirs.
            if last_try or not created:
                raise
            continue
        break
    save_and_record(adjustment, before)
    return adjustment, created


def save_and_record(adjustment, before=None):
    """Record a saved adjustment: set when `before` is None, else changed from it."""
    if before is None:
        record(
            Action.ADJUSTMENT_SET,
            f"Time adjustment set: {describe(adjustment)}",
            data=audit_data(adjustment),
        )
    else:
        record(
            Action.ADJUSTMENT_CHANGED,
            f"Time adjustment changed from {before} to {describe(adjustment)}",
            data=audit_data(adjustment),
        )


@transaction.atomic
def remove_adjustment(adjustment):
    message = f"Time adjustment removed: {describe(adjustment)}"
    data = audit_data(adjustment)
    # Only the request that removed it records it, when two ask at once.
    removed, _by_model = TimeAdjustment.objects.filter(pk=adjustment.pk).delete()
    if removed:
        record(Action.ADJUSTMENT_REMOVED, message, data=data)
