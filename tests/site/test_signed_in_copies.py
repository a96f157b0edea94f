"""A page kept for signed-in readers (recognise/page_cache.py) is shared by everyone in
the same variant: nothing of one reader may reach another.

Every page type whose rendering calls remember_variant is found in the source and must
have a scenario below: two learners in the same variant of the page, each with a name,
an email address and figures (progress, a score) of their own. Each reads the page
first in turn; the other is then served the kept copy, which must show nothing of the
first and be what the site renders for the second.
"""

import ast
import importlib
import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from wagtail.models import get_page_models

from courses.models import LessonPage
from courses.progress import LESSON_COMPLETED, LESSON_OPEN, NOT_ENROLLED, complete_lesson, enrol
from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import AssessmentPage
from recognise.page_cache import forget_all_pages
from tests.factories import UserFactory, make_assessment, make_course, make_question

pytestmark = pytest.mark.django_db

PROJECT_PACKAGES = ("recognise", "courses", "quizzes", "certificates", "cohorts", "guidance")


def callers_of_remember_variant():
    """The classes of the project whose code calls remember_variant, by module and name;
    a call outside any class is reported with the class None."""
    callers = set()
    for package in PROJECT_PACKAGES:
        for path in (settings.BASE_DIR / package).rglob("*.py"):
            module = ".".join(path.relative_to(settings.BASE_DIR).with_suffix("").parts)
            tree = ast.parse(path.read_text())
            classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
            for call in (node for node in ast.walk(tree) if is_remember_variant_call(node)):
                owner = next((cls for cls in classes if call in set(ast.walk(cls))), None)
                callers.add((module, owner.name if owner else None))
    return callers


def is_remember_variant_call(node):
    if not isinstance(node, ast.Call):
        return False
    function = node.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return name == "remember_variant"


def page_types_kept_for_signed_in_readers():
    kept = set()
    for module, name in callers_of_remember_variant():
        assert name is not None, f"remember_variant is called outside a page class in {module}"
        kept.add(getattr(importlib.import_module(module), name))
    # The page cache asks this of every page type it keeps per variant.
    kept.update(model for model in get_page_models() if hasattr(model, "page_cache_variant"))
    return kept


# Scenarios ---------------------------------------------------------------------------


@dataclass
class Reader:
    client: Client
    # What only this reader may be shown: their name, address and figures.
    own: tuple


LESSONS = 7
QUESTIONS = 4


def course_with_a_final_assessment():
    course = make_course("Core course", lessons=LESSONS)
    questions = []
    for number in range(QUESTIONS):
        question = make_question(f"Question {number}?", options=(("Yes", False), ("No", True)))
        question.save_revision().publish()
        questions.append(question)
    make_assessment(course, questions, pass_mark=100)
    return course, questions


def reader(name, email, course, questions, *, lessons_done, right_answers, state):
    learner = UserFactory(role="Learner", display_name=name, email=email)
    lessons = list(course.lessons())
    figures = ()
    if state != NOT_ENROLLED:
        enrol(learner, course)
        done = lessons[:lessons_done]
        # The lesson read is the last: completed by both learners, or by neither.
        if state == LESSON_COMPLETED:
            done = [*lessons[: lessons_done - 1], lessons[-1]]
        for lesson in done:
            complete_lesson(learner, lesson)
        final = AssessmentPage.objects.child_of(course).get()
        attempt = start_attempt(learner, final)
        answers = {
            str(question.pk): [question.options.get(is_correct=number < right_answers).pk]
            for number, question in enumerate(questions)
        }
        submit_attempt(attempt.pk, learner, answers=answers)
        score = round(100 * right_answers / QUESTIONS)
        required_items = LESSONS + 1
        progress = round(100 * lessons_done / required_items)
        figures = (f"{lessons_done} of {required_items}", f"{progress}%", f"{score}%")
    client = Client()
    client.force_login(learner)
    return Reader(client, (name, email, *figures))


def lesson_readers(state):
    course, questions = course_with_a_final_assessment()
    readers = (
        reader(
            "Angharad Quillfeather",
            "angharad.quillfeather@example.net",
            course,
            questions,
            lessons_done=5,
            right_answers=3,
            state=state,
        ),
        reader(
            "Bartholomew Vexley",
            "bartholomew.vexley@example.org",
            course,
            questions,
            lessons_done=2,
            right_answers=2,
            state=state,
        ),
    )
    return course.lessons().last().url, readers


SCENARIOS = {
    LessonPage: (lesson_readers, (LESSON_COMPLETED, LESSON_OPEN, NOT_ENROLLED)),
}


def test_every_page_type_kept_for_signed_in_readers_has_a_scenario():
    assert page_types_kept_for_signed_in_readers() == set(SCENARIOS)


def test_the_search_for_page_types_finds_the_lesson_page():
    assert ("courses.models.pages", "LessonPage") in callers_of_remember_variant()


# The check ---------------------------------------------------------------------------

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def without_form_tokens(page):
    return CSRF_TOKEN.sub('name="csrfmiddlewaretoken" value=""', page)


@pytest.mark.parametrize(
    ("page_type", "state"),
    [(page_type, state) for page_type, (_, states) in SCENARIOS.items() for state in states],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_a_kept_copy_shows_nothing_of_the_reader_it_was_rendered_for(
    page_type, state, production_cache
):
    readers_for, _states = SCENARIOS[page_type]
    url, readers = readers_for(state)
    for first, second in (readers, readers[::-1]):
        forget_all_pages()
        rendered = first.client.get(url)
        assert rendered.status_code == 200
        assert rendered.templates, "the first reader's page was not rendered for them"

        kept = second.client.get(url)
        assert kept.status_code == 200
        assert not kept.templates, "the second reader was not served the kept copy"
        shown = kept.content.decode()
        leaked = [text for text in first.own if text in shown and text not in second.own]
        assert not leaked, f"{url} showed {leaked} to another reader"

        # The kept copy is what the site renders for the second reader.
        forget_all_pages()
        own_rendering = second.client.get(url)
        assert own_rendering.templates
        assert without_form_tokens(shown) == without_form_tokens(own_rendering.content.decode())
