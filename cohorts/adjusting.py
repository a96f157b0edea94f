"""What a trainer may adjust for a learner: the assessments of the courses the learner
takes or has been set by the trainer's organisations."""

from functools import reduce
from operator import or_

from django.db.models import Q

from courses.models import CoursePage, Enrolment
from learning.adjustments import with_course_titles
from quizzes.models import AssessmentPage

from .models import Assignment, CohortMember


def in_own_cohorts(organisations, learner):
    """Whether the learner is in a cohort of one of these organisations."""
    return CohortMember.objects.filter(
        user=learner, cohort__organisation__in=organisations
    ).exists()


def adjustable_assessments(organisations, learner):
    """The live assessments of the learner's courses, by course, each with its
    `full_title`."""
    course_ids = set(
        Enrolment.objects.filter(user=learner).values_list("course_id", flat=True)
    ) | set(
        Assignment.objects.filter(
            Q(cohort__memberships__user=learner) | Q(user=learner),
            organisation__in=organisations,
        ).values_list("course_id", flat=True)
    )
    paths = list(CoursePage.objects.filter(pk__in=course_ids).values_list("path", "depth"))
    if not paths:
        return []
    below = reduce(or_, (Q(path__startswith=path, depth=depth + 1) for path, depth in paths))
    assessments = with_course_titles(AssessmentPage.objects.live().filter(below))
    return sorted(assessments, key=lambda assessment: assessment.full_title)
