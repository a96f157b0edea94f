"""A knowledge check sits straight after the lesson it checks, in English and Welsh,
so a learner working through the course meets it before the next lesson."""

from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Page

from courses.models import CoursePage
from quizzes.models import AssessmentPage
from recognise.demo.assessments import place_after_lesson
from recognise.demo.loading import ContentError

pytestmark = pytest.mark.django_db

CORE_ORDER = [
    "what-child-trafficking-means",
    "knowledge-check",
    "recognising-the-signs",
    "knowledge-check-signs",
    "going-missing",
    "knowledge-check-going-missing",
    "how-we-got-here",
    "knowledge-check-how-we-got-here",
    "the-uk-response",
    "knowledge-check-uk-response",
    "first-actions-and-the-four-nations",
    "knowledge-check-first-actions",
    "final-assessment",
]


def page_slugs(course):
    return [page.slug for page in Page.objects.child_of(course).order_by("path")]


def test_each_core_knowledge_check_follows_its_lesson_in_both_languages(demo_data):
    core = CoursePage.objects.get(slug="recognising-and-responding", locale__language_code="en")
    welsh = core.get_translation(Locale.objects.get(language_code="cy"))
    assert page_slugs(core) == CORE_ORDER
    assert page_slugs(welsh) == CORE_ORDER

    # Loading again leaves the order, and the published pages, as they were.
    checks = AssessmentPage.objects.child_of(core).filter(kind="knowledge_check")
    revisions = {check.pk: check.latest_revision_id for check in checks}
    call_command("load_demo_data")
    assert page_slugs(core) == CORE_ORDER
    assert page_slugs(welsh) == CORE_ORDER
    assert {check.pk: check.latest_revision_id for check in checks.all()} == revisions

    # A lesson new to the file, on a site loaded before it existed, takes its place in
    # the course rather than landing after the final assessment.
    for page in Page.objects.filter(slug="how-we-got-here"):
        page.delete()
    call_command("load_demo_data")
    assert page_slugs(core) == CORE_ORDER
    assert page_slugs(welsh) == CORE_ORDER

    # A file naming a lesson the course does not have says which.
    check = checks.first()
    with pytest.raises(ContentError, match="no-such-lesson"):
        place_after_lesson(check, core, "no-such-lesson", Path("core.yaml"))
