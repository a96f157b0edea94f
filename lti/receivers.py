"""Scores for the platforms' gradebooks: put in the outbox within the learner's own
transaction, and sent by a background task once it commits."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from lti_tool.models import LtiRegistration, LtiUser

from courses.models import CoursePage
from learning.signals import attempt_marked, course_completed
from quizzes.models import Attempt

from .models import CourseLink, GradeDelivery
from .platforms import platforms_changed, platforms_in_use
from .tasks import enqueue_score

logger = logging.getLogger(__name__)


def best_percent(user_id, course_id):
    """The learner's best marked result on the course's assessments; a course without
    assessments counts as full marks once complete."""
    percents = Attempt.objects.filter(
        user_id=user_id,
        assessment__path__startswith=course_path(course_id),
        percent__isnull=False,
    ).values_list("percent", flat=True)
    return max(percents, default=100)


def course_path(course_id):
    path = CoursePage.objects.filter(pk=course_id).values_list("path", flat=True).first()
    # No course, no path: a prefix that no page's path has.
    return path or "-"


def line_items_for(user_id, course_id):
    """(LTI user, line item) pairs: where this learner's result on this course goes,
    for each platform course they launched it from."""
    lti_users = list(LtiUser.objects.filter(auth_user_id=user_id, registration__is_active=True))
    if not lti_users:
        return []
    links = (
        CourseLink.objects.filter(
            course_id=course_id,
            resource_link__context__memberships__user__in=lti_users,
        )
        .exclude(lineitem_url="")
        .values_list("lineitem_url", "resource_link__context__memberships__user_id")
    )
    by_id = {lti_user.pk: lti_user for lti_user in lti_users}
    return sorted(
        {(by_id[lti_user_id], url) for url, lti_user_id in links if lti_user_id in by_id},
        key=lambda pair: (pair[0].pk, pair[1]),
    )


def put_in_outbox(user_id, course_id, build):
    targets = line_items_for(user_id, course_id)
    if not targets:
        return
    try:
        with transaction.atomic():
            deliveries = GradeDelivery.objects.bulk_create(
                [
                    GradeDelivery(
                        lti_user=lti_user,
                        learner_id=user_id,
                        lineitem_url=url,
                        score={**build(), "userId": lti_user.sub},
                    )
                    for lti_user, url in targets
                ]
            )
    except Exception:
        # The learner's progress matters more than the report of it.
        logger.exception("LTI score for user %s could not be written", user_id)
        return
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: enqueue_score(pk))


def score(percent, activity, grading):
    return {
        "scoreGiven": float(percent),
        "scoreMaximum": 100.0,
        "activityProgress": activity,
        "gradingProgress": grading,
        "timestamp": timezone.now().isoformat(),
    }


@receiver(post_save, sender=LtiRegistration, dispatch_uid="lti.registration_saved")
@receiver(post_delete, sender=LtiRegistration, dispatch_uid="lti.registration_deleted")
def registration_changed(sender, **kwargs):
    platforms_changed()


@receiver(course_completed, dispatch_uid="lti.course_completed")
def on_course_completed(sender, enrolment, **kwargs):
    if not platforms_in_use():
        return
    user_id, course_id = enrolment.user_id, enrolment.course_id
    put_in_outbox(
        user_id,
        course_id,
        lambda: score(best_percent(user_id, course_id), "Completed", "FullyGraded"),
    )


@receiver(attempt_marked, dispatch_uid="lti.attempt_marked")
def on_attempt_marked(sender, attempt, **kwargs):
    if attempt.percent is None or not platforms_in_use():
        return
    course_id = attempt.assessment.get_parent().pk
    put_in_outbox(
        attempt.user_id,
        course_id,
        lambda: score(attempt.percent, "Submitted", "FullyGraded"),
    )
