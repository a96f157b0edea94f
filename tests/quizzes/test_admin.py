import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.models import Enrolment
from learning.attempts import start_attempt, submit_attempt
from quizzes.models import AssessmentPage, Question, ScenarioGroup
from tests.factories import (
    UserFactory,
    make_assessment,
    make_category,
    make_course,
    make_question,
    make_scenario,
)
from tests.query_budgets import queries_for
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    sign_in_with_totp(client, admin, enrol_totp(admin))
    return client


@pytest.fixture
def editor_client(client, contributor):
    """An NGO editor whose organisation contributes to a course with a category."""
    sign_in_with_totp(client, contributor.editor, contributor.secret)
    client.category = contributor.category
    return client


@pytest.fixture
def publisher_client(db):
    client = Client()
    publisher = UserFactory(role="Publisher")
    sign_in_with_totp(client, publisher, enrol_totp(publisher))
    return client


def question_form(prompt, kind, options, scenario=None, rule="all_or_nothing", category=None):
    data = {
        "prompt": prompt,
        "kind": kind,
        "scoring_rule": rule,
        "category": (category or make_category()).pk,
        "scenario": scenario.pk if scenario else "",
        "position_in_scenario": "0",
        "explanation": "Because the law says so.",
        "source_reference": "Modern Slavery Act 2015, UK Parliament, 2015",
        "slug": f"admin-{kind}-{Question.objects.count()}",
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "2",
        "options-MAX_NUM_FORMS": "1000",
    }
    for index, (text, correct) in enumerate(options):
        data[f"options-{index}-text"] = text
        data[f"options-{index}-feedback"] = ""
        data[f"options-{index}-ORDER"] = str(index + 1)
        data[f"options-{index}-id"] = ""
        if correct:
            data[f"options-{index}-is_correct"] = "on"
    return data


def test_publisher_builds_a_scenario_group_and_an_editor_proposes_its_questions(
    publisher_client, editor_client
):
    response = publisher_client.post(
        reverse("wagtailsnippets_quizzes_scenariogroup:add"),
        {
            "title": "A boy found in a lorry",
            "slug": "lorry",
            "category": editor_client.category.pk,
            "stem": '{"blocks":[{"key":"a","text":"This scenario is fictional.","type":"unstyled",'
            '"depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    scenario = ScenarioGroup.objects.get(slug="lorry")

    for prompt in ("What first?", "Who do you call?"):
        response = editor_client.post(
            reverse("wagtailsnippets_quizzes_question:add"),
            question_form(
                prompt,
                "single",
                [("Right", True), ("Wrong", False)],
                scenario,
                category=editor_client.category,
            ),
        )
        assert response.status_code == 302
    # Proposed, not asked: they wait for a publisher.
    assert [question.live for question in scenario.questions.all()] == [False, False]


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("single", [("A", True), ("B", True)], "Mark exactly one option as correct."),
        ("multiple", [("A", False), ("B", False)], "Mark at least one option as correct."),
        ("ordering", [("A", False), ("B", False)], "at least three steps"),
        ("true_false", [("True", False), ("False", False)], "Mark exactly one option"),
    ],
)
def test_editor_cannot_save_an_invalid_question_and_sees_why(editor_client, kind, options, message):
    response = editor_client.post(
        reverse("wagtailsnippets_quizzes_question:add"),
        question_form("Bad?", kind, options, category=editor_client.category),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.filter(prompt="Bad?").exists()


def test_learner_cannot_reach_the_question_bank(client, learner):
    sign_in(client, learner.email)
    assert client.get(reverse("wagtailsnippets_quizzes_question:list")).status_code == 403


@pytest.fixture
def assessment_with_attempts():
    course = make_course("Core course", lessons=1)
    easy = make_question("Easy question", options=[("Right", True), ("Wrong", False)])
    hard = make_question(
        "Misleading question", options=[("Right", True), ("Tempting", False), ("Other", False)]
    )
    assessment = make_assessment(course, [easy, hard])
    for index in range(4):
        learner = UserFactory(role="Learner")
        Enrolment.objects.create(user=learner, course=course)
        attempt = start_attempt(learner, assessment)
        tempting = hard.options.get(text="Tempting").pk
        right_hard = hard.options.get(text="Right").pk
        answers = {
            str(easy.pk): [easy.options.get(text="Right").pk],
            str(hard.pk): [right_hard if index == 0 else tempting],
        }
        submit_attempt(attempt.pk, learner, answers=answers)
    return assessment


def test_statistics_show_pass_rate_and_the_misleading_option(
    admin_client, assessment_with_attempts
):
    page = admin_client.get(
        reverse("quizzes_statistics", args=[assessment_with_attempts.pk])
    ).content.decode()
    assert "Attempts</dt><dd>4" in page
    assert "Pass rate</dt><dd>25.0%" in page
    assert "Mean score</dt><dd>62.5%" in page
    # Hardest question first, with the tempting wrong option chosen by 75%.
    assert page.index("Misleading question") < page.index("Easy question")
    assert "<td>Tempting</td><td>no</td><td>3</td><td>75.0%</td>" in page


def test_statistics_csv_export(admin_client, assessment_with_attempts):
    response = admin_client.get(
        reverse("quizzes_statistics_csv", args=[assessment_with_attempts.pk])
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["4", "4", "25.0", "62.5"]
    assert ["Misleading question", "Tempting", "no", "3", "75.0", "25.0"] in rows


def test_statistics_need_edit_permission(editor_client, assessment_with_attempts):
    response = editor_client.get(reverse("quizzes_statistics", args=[assessment_with_attempts.pk]))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("attempts", [3, 30])
def test_statistics_queries_do_not_grow_with_attempts(admin_client, attempts, production_cache):
    course = make_course("Core course", lessons=1)
    question = make_question("Only question", options=[("Right", True), ("Wrong", False)])
    assessment = make_assessment(course, [question])
    for _ in range(attempts):
        learner = UserFactory(role="Learner")
        Enrolment.objects.create(user=learner, course=course)
        attempt = start_attempt(learner, assessment)
        submit_attempt(
            attempt.pk, learner, answers={str(question.pk): [question.options.first().pk]}
        )
    url = reverse("quizzes_statistics", args=[assessment.pk])
    assert queries_for(admin_client, url) == STATISTICS_QUERIES


STATISTICS_QUERIES = 12


def test_editor_previews_an_assessment(admin_client):
    course = make_course("Core course", lessons=1)
    assessment = make_assessment(course, [make_question("Preview me?")])
    response = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[assessment.pk]))
    assert response.status_code == 200
    assert "Final assessment" in response.content.decode()
    assert isinstance(AssessmentPage.objects.get(pk=assessment.pk), AssessmentPage)


def test_editor_adds_a_scenario_group_to_a_new_assessment_in_the_admin(admin_client):
    course = make_course("Core course", lessons=1)
    scenario = make_scenario_with_questions()
    data = nested_form_data(
        {
            "title": "Final assessment",
            "slug": "final-assessment",
            "kind": "final",
            "introduction": "",
            "items": streamfield([("scenario", scenario.pk)]),
            "pass_mark": 80,
            "max_attempts": 0,
            "cooldown_minutes": 0,
            "time_limit_minutes": "",
            "shuffle_options": "on",
            "feedback": "once_passed",
        }
    )
    url = reverse("wagtailadmin_pages:add", args=["quizzes", "assessmentpage", course.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assessment = AssessmentPage.objects.child_of(course).get(slug="final-assessment")
    assert [block.value.pk for block in assessment.items] == [scenario.pk]

    preview = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[assessment.pk]))
    assert preview.status_code == 200


def make_scenario_with_questions():
    scenario = make_scenario("Night shelter")
    make_question("Scenario question A", scenario=scenario, position=0)
    make_question("Scenario question B", scenario=scenario, position=1)
    return scenario
