import random
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from courses.models import CoursePage, Enrolment, LessonCompletion
from learning.attempts import resolve_questions
from quizzes.models import AssessmentPage, Attempt
from recognise.demo.assessments import retire_unlisted
from tests.factories import make_category, make_question, make_scenario
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


def test_every_demo_course_has_a_final_assessment_of_mostly_scenario_questions(demo_content):
    for course in CoursePage.objects.all():
        finals = AssessmentPage.objects.child_of(course).filter(kind="final")
        assert finals.count() == 1, course.slug
        questions = resolve_questions(finals.get(), random.Random(1))
        assert len(questions) >= 8, course.slug
        in_scenarios = [question for question in questions if question.scenario_id]
        assert len(in_scenarios) > len(questions) / 2, course.slug
        for question in questions:
            assert question.explanation.strip() and question.source_reference.strip()
            assert question.options.count() >= 2


def test_core_course_also_has_a_knowledge_check(demo_content):
    core = CoursePage.objects.get(slug="recognising-and-responding", locale__language_code="en")
    assert AssessmentPage.objects.child_of(core).filter(kind="knowledge_check").exists()


def answer_form(attempt, right):
    """Fill in every question of the attempt, all right or all wrong."""
    data = {}
    for item in attempt.paper:
        key = attempt.keys[str(item["question"])]
        name = f"q{item['question']}"
        if key["kind"] == "ordering":
            order = key["options"] if right else list(reversed(key["options"]))
            for place, option_id in enumerate(order, start=1):
                data[f"{name}-{option_id}"] = str(place)
        elif right:
            data[name] = [str(option_id) for option_id in key["correct"]]
        else:
            wrong = [o for o in key["options"] if o not in key["correct"]]
            data[name] = [str(wrong[0])]
    return data


def test_learner_fails_reads_feedback_waits_and_passes_the_core_course(
    client, learner, demo_content
):
    core = CoursePage.objects.get(slug="recognising-and-responding", locale__language_code="en")
    final = AssessmentPage.objects.child_of(core).get(kind="final")
    sign_in(client, learner.email)
    client.post(reverse("learning:enrol", args=[core.pk]))
    enrolment = Enrolment.objects.get(user=learner)
    for lesson in core.lessons():
        LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson)

    client.post(reverse("learning:start", args=[final.pk]))
    attempt = Attempt.objects.get(user=learner)
    response = client.post(
        reverse("learning:attempt", args=[attempt.pk]),
        {**answer_form(attempt, False), "submit": "1"},
    )
    result = client.get(response.url).content.decode()
    assert "You did not pass this time" in result
    # Under the finals' policy a failed attempt names the topics to revisit, not the keys.
    assert "Topics to revisit" in result and "Core course" in result
    assert "Your answer" not in result
    assert "Correct answer" not in result  # correct answers only once passed

    response = client.post(reverse("learning:start", args=[final.pk]), follow=True)
    assert "You can try again from" in response.content.decode()
    Attempt.objects.filter(pk=attempt.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=final.cooldown_minutes + 1)
    )

    client.post(reverse("learning:start", args=[final.pk]))
    second = Attempt.objects.filter(user=learner).order_by("-number").first()
    assert second.number == 2
    response = client.post(
        reverse("learning:attempt", args=[second.pk]), {**answer_form(second, True), "submit": "1"}
    )
    passed = client.get(response.url).content.decode()
    assert "You passed." in passed
    assert "Correct answer" in passed
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert "You completed this course" in client.get(core.url).content.decode()


def test_a_new_edition_withdraws_questions_its_file_no_longer_lists(db):
    category = make_category("police")
    kept, dropped = make_question("Kept?", category=category), make_question(category=category)
    old_scenario = make_scenario(category=category)
    other = make_question("Another file's question", category=make_category("health"))
    retire_unlisted([category], Locale.get_default(), [kept.pk], [])
    for item in (kept, dropped, old_scenario, other):
        item.refresh_from_db()
    assert kept.live and other.live
    # Out of every draw, but kept for the attempts that asked them.
    assert not dropped.live and not old_scenario.live
