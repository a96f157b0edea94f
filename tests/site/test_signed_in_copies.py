"""A page kept for signed-in readers (core/page_cache.py) is shared by everyone in
the same variant: nothing of one reader may reach another.

Every page type the cache may keep per reader (those with a registered variant rule) must
have a scenario below: two learners in the same variant of the page, each with a name,
an email address and figures (progress, a score) of their own. Each reads the page
first in turn; the other is then served the kept copy, which must show nothing of the
first and be what the site renders for the second.
"""

import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.test import Client

from core import page_cache
from core.page_cache import forget_all_pages
from courses.models import LessonPage
from learning.attempts import start_attempt, submit_attempt
from learning.progress import LESSON_COMPLETED, LESSON_OPEN, NOT_ENROLLED, complete_lesson, enrol
from quizzes.models import AssessmentPage
from tests.factories import UserFactory, make_assessment, make_course, make_question

pytestmark = pytest.mark.django_db


def page_types_kept_for_signed_in_readers():
    """Every page type the cache may keep per reader: remember_variant refuses a page whose
    model has no registered variant rule, so the registry names them all."""
    return {apps.get_model(label) for label in page_cache.VARIANT_RULES}


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


def test_a_page_type_without_a_registered_rule_is_never_kept_per_reader(rf):
    # The registry above lists every kept page type only because of this refusal.
    course = make_course("Unregistered", lessons=1)
    with pytest.raises(LookupError):
        page_cache.remember_variant(rf.get("/"), course, {}, "any")
    assert page_types_kept_for_signed_in_readers() == {LessonPage}


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
