"""Every Welsh content file loads as a translation of its English original, so a learner
who chooses Welsh can take each translated course, lessons and questions, end to end."""

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Locale

from courses.models import CoursePage, LessonPage
from quizzes.models import Question, QuestionCategory
from recognise.demo.assessments import bank_slug

pytestmark = pytest.mark.django_db

WELSH = settings.BASE_DIR / "content" / "cy"


def read(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_welsh_course_and_question_file_is_live_in_welsh():
    call_command("load_demo_data")
    welsh = Locale.objects.get(language_code="cy")
    problems = []
    for path in sorted((WELSH / "courses").glob("*.yaml")):
        data = read(path)
        english = CoursePage.objects.get(slug=data["slug"], locale=Locale.get_default())
        course = english.get_translation(welsh)
        if not course.live or course.title != data["title"]:
            problems.append(f"{path.name}: the Welsh course is not live with its Welsh title")
        lessons = [
            (lesson.slug, lesson.title) for lesson in LessonPage.objects.child_of(course).live()
        ]
        wanted = [(lesson["slug"], lesson["title"]) for lesson in data["lessons"]]
        if lessons != wanted:
            problems.append(f"{path.name}: Welsh lessons {lessons} != {wanted}")
    for path in sorted((WELSH / "assessments").glob("*.yaml")):
        data = read(path)
        category = QuestionCategory.objects.get(slug=data["category"], locale=Locale.get_default())
        questions = list(data.get("questions") or [])
        for scenario in data.get("scenarios") or []:
            questions += scenario["questions"]
        for question in questions:
            slug = bank_slug(category, question["slug"])
            english = Question.objects.get(slug=slug, locale=Locale.get_default())
            translated = english.get_translation_or_none(welsh)
            if translated is None or not translated.live:
                problems.append(f"{path.name}: {slug} has no live Welsh translation")
            elif translated.prompt != question["prompt"].strip():
                problems.append(f"{path.name}: {slug} does not show its Welsh prompt")
    assert problems == []
