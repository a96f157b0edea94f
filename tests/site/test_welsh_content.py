"""Welsh demo content, and progress that follows the learner across languages."""

import pytest
import yaml
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.models import Locale

from courses.models import CoursePage, Enrolment, LessonCompletion, SectorPage
from guidance.models import GuidancePage
from quizzes.models import AssessmentPage, Attempt, Question, ScenarioGroup
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data):
    """The whole demo: the Welsh content comes with it."""


def welsh_of(page):
    return page.get_translation(Locale.objects.get(language_code="cy"))


# Every course with a Welsh file in content/cy/courses, so a new translation is checked
# as soon as it is added.
WELSH_COURSE_FILES = sorted((settings.BASE_DIR / "content" / "cy" / "courses").glob("*.yaml"))
WELSH_COURSE_SLUGS = [
    yaml.safe_load(path.read_text(encoding="utf-8"))["slug"] for path in WELSH_COURSE_FILES
]


def test_the_police_course_has_a_welsh_translation():
    assert {"recognising-and-responding", "police"} <= set(WELSH_COURSE_SLUGS)


def test_every_welsh_course_can_be_taken_end_to_end_in_welsh(client, demo):
    # One test for them all: loading the demo once costs more than all the checks.
    for slug in WELSH_COURSE_SLUGS:
        check_welsh_course(client, slug)


def check_welsh_course(client, slug):
    english = CoursePage.objects.get(slug=slug, locale__language_code="en")
    welsh_course = welsh_of(english)
    assert welsh_course.live and welsh_course.title != english.title
    # The same lessons and assessments, in the same order, each published in Welsh.
    english_children = list(english.get_children().live())
    welsh_children = list(welsh_course.get_children().live())
    assert [page.translation_key for page in welsh_children] == [
        page.translation_key for page in english_children
    ]
    for page in welsh_children:
        response = client.get(page.url)
        assert response.status_code == 200
        assert '<html lang="cy">' in response.content.decode()
    # Every question and scenario the course's assessments can draw has Welsh words, with
    # the English answer key.
    categories, fixed_questions, fixed_scenarios = set(), set(), set()
    for assessment in AssessmentPage.objects.child_of(english):
        for block in assessment.specific.items:
            if block.block_type in ("random_questions", "random_scenarios"):
                categories.add(block.value["category"].pk)
            elif block.block_type == "question":
                fixed_questions.add(block.value.pk)
            elif block.block_type == "scenario":
                fixed_scenarios.add(block.value.pk)
    english_questions = Question.objects.filter(locale__language_code="en").filter(
        Q(category__in=categories)
        | Q(scenario__category__in=categories)
        | Q(pk__in=fixed_questions)
        | Q(scenario__in=fixed_scenarios)
    )
    assert english_questions.exists()
    welsh = Locale.objects.get(language_code="cy")
    for question in english_questions.distinct():
        translated = question.get_translation_or_none(welsh)
        assert translated is not None and translated.live, question.slug
        assert translated.prompt != question.prompt, question.slug
        assert [o.is_correct for o in translated.options.order_by("sort_order")] == [
            o.is_correct for o in question.options.order_by("sort_order")
        ], question.slug
        if question.scenario_id:
            assert translated.scenario.locale == welsh, question.slug
    scenarios = ScenarioGroup.objects.filter(questions__in=english_questions).distinct()
    assert all(group.get_translation_or_none(welsh) is not None for group in scenarios)


def test_home_sector_core_course_and_guidance_exist_in_welsh(client, demo):
    home = client.get("/cy/").content.decode()
    assert "Hyfforddiant i ymarferwyr" in home
    assert SectorPage.objects.filter(locale__language_code="cy", live=True).count() == 6
    core = CoursePage.objects.get(slug="recognising-and-responding", locale__language_code="en")
    welsh_core = welsh_of(core)
    assert welsh_core.live and welsh_core.url.startswith("/cy/")
    page = client.get(welsh_core.url).content.decode()
    assert escape(welsh_core.title) in page and '<html lang="cy">' in page
    welsh_lesson = welsh_core.get_children().live().first().specific
    assert client.get(welsh_lesson.url).status_code == 200
    final = AssessmentPage.objects.child_of(core).get(kind="final")
    assert welsh_of(final).live
    assert Question.objects.filter(locale__language_code="cy").count() >= 8
    # The demo guidance, with Welsh topics in the Welsh library.
    english_guidance = GuidancePage.objects.get(
        slug="working-with-interpreters", locale__language_code="en"
    )
    welsh_guidance = welsh_of(english_guidance)
    assert welsh_guidance.live and welsh_guidance.url.startswith("/cy/")
    page = client.get(welsh_guidance.url).content.decode()
    assert "Gweithio gyda chyfieithwyr" in page and "Cyfieithwyr" in page
    library = client.get(welsh_guidance.get_parent().get_parent().url).content.decode()
    assert "Gweithio gyda chyfieithwyr" in library and "Cyswllt cyntaf" in library
    assert "First contact" not in library


def test_progress_follows_the_learner_into_welsh(client, demo, learner):
    core = CoursePage.objects.get(slug="recognising-and-responding", locale__language_code="en")
    welsh_core = welsh_of(core)
    lessons = list(core.lessons())
    sign_in(client, learner.email)
    client.post(reverse("learning:enrol", args=[core.pk]))
    client.post(reverse("learning:complete_lesson", args=[lessons[0].pk]))

    with translation.override("cy"):
        response = client.get(welsh_core.url)
    assert response.context["progress"].completed == 1
    assert response.context["continue_lesson"].translation_key == lessons[1].translation_key

    welsh_second = welsh_of(lessons[1])
    client.post(reverse("learning:complete_lesson", args=[welsh_second.pk]))
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.course_id == core.pk
    assert set(
        LessonCompletion.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True)
    ) == {
        lessons[0].pk,
        lessons[1].pk,
    }


def test_welsh_assessment_is_the_same_attempt_in_welsh_words(client, demo, learner):
    core = CoursePage.objects.get(slug="recognising-and-responding", locale__language_code="en")
    final = AssessmentPage.objects.child_of(core).get(kind="final")
    sign_in(client, learner.email)
    client.post(reverse("learning:enrol", args=[core.pk]))
    with translation.override("cy"):
        client.post(reverse("learning:start", args=[welsh_of(final).pk]))
        attempt = Attempt.objects.get(user=learner)
        assert attempt.assessment_id == final.pk
        # The demo's final assessment is paged: the attempt opens at its first page.
        page = client.get(
            reverse("learning:attempt", args=[attempt.pk]), follow=True
        ).content.decode()
    first = Question.objects.get(pk=attempt.paper[0]["question"])
    welsh_first = first.get_translation(Locale.objects.get(language_code="cy"))
    assert escape(welsh_first.prompt) in page
    assert escape(first.prompt) not in page


def test_english_paper_holds_each_scenario_question_once_in_english(client, demo, learner):
    core = CoursePage.objects.get(slug="recognising-and-responding", locale__language_code="en")
    final = AssessmentPage.objects.child_of(core).get(kind="final")
    sign_in(client, learner.email)
    client.post(reverse("learning:enrol", args=[core.pk]))
    client.post(reverse("learning:start", args=[final.pk]))
    attempt = Attempt.objects.get(user=learner)
    on_paper = Question.objects.filter(pk__in=[item["question"] for item in attempt.paper])
    assert {question.locale.language_code for question in on_paper} == {"en"}
    assert len(attempt.paper) == len({q.translation_key for q in on_paper})
    with translation.override("en"):
        # The page that checks the answers lists every question of the (paged) paper.
        page = client.get(reverse("learning:check_answers", args=[attempt.pk])).content.decode()
    assert all(escape(question.prompt) in page for question in on_paper)
    for welsh in Question.objects.filter(locale__language_code="cy", scenario__isnull=False):
        assert welsh.scenario.locale.language_code == "cy"
        assert escape(welsh.prompt) not in page
