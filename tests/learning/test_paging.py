"""Paged attempts: one question (or one scenario) per page, then a page to check the
answers and submit them."""

import re
from datetime import timedelta

import pytest
import yaml
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.models import Enrolment
from learning.models import TimeAdjustment
from quizzes.models import AssessmentPage, Attempt, AttemptAnswer
from tests.factories import UserFactory, make_assessment, make_course, make_question, make_scenario
from tests.query_budgets import MOST_QUERIES_PER_PAGE, counting_queries
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course("Core course", lessons=1)


@pytest.fixture
def questions():
    """Four questions on pages of their own, then a scenario's two on one page."""
    scenario = make_scenario("A girl at the airport")
    return [
        make_question("Single?", "single", [("Right", True), ("Wrong", False)]),
        make_question("Pick all", "multiple", [("A right", True), ("B right", True), ("C", False)]),
        make_question("True or false?", "true_false", [("True", False), ("False", True)]),
        make_question("Order these", "ordering", [("First", False), ("Second", False)]),
        make_question("Who to call first?", scenario=scenario, position=0),
        make_question("What to record?", scenario=scenario, position=1),
    ]


@pytest.fixture
def assessment(course, questions):
    scenario = questions[4].scenario
    return make_assessment(
        course, questions[:4], [scenario], layout="paged", shuffle_options=False, pass_mark=50
    )


@pytest.fixture
def enrolled(client, learner, course):
    sign_in(client, learner.email)
    Enrolment.objects.create(user=learner, course=course)
    return learner


def start(client, assessment):
    response = client.post(reverse("learning:start", args=[assessment.pk]))
    attempt = Attempt.objects.filter(assessment=assessment).order_by("-started_at").first()
    assert response["Location"] == page_url(attempt, 1)
    return attempt


def page_url(attempt, number):
    return reverse("learning:attempt_page", args=[attempt.pk, number])


def check_url(attempt):
    return reverse("learning:check_answers", args=[attempt.pk])


def option(question, text):
    return str(question.options.get(text=text).pk)


def saved(attempt):
    return Attempt.objects.get(pk=attempt.pk).answers


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_new_assessments_are_paged_and_the_demo_finals_too():
    assert AssessmentPage().layout == "paged"
    assert AssessmentPage().is_paged
    finals = [
        assessment
        for path in sorted((settings.BASE_DIR / "content" / "assessments").glob("*.yaml"))
        for assessment in yaml.safe_load(path.read_text())["assessments"]
        if assessment["kind"] == "final"
    ]
    # One final per course: the core course, six sector courses and the managers' course.
    assert len(finals) == 8
    assert {final["layout"] for final in finals} == {"paged"}


@pytest.mark.parametrize("layout", ["one_page", "paged"])
def test_an_editor_chooses_the_layout(client, course, questions, layout):
    admin = UserFactory(is_superuser=True, is_staff=True)
    sign_in_with_totp(client, admin, enrol_totp(admin))
    url = reverse("wagtailadmin_pages:add", args=["quizzes", "assessmentpage", course.pk])
    assert "One question per page" in client.get(url).content.decode()
    data = {
        "title": "Final assessment",
        "slug": "final-assessment",
        "kind": "final",
        "introduction": "",
        "items": streamfield([("question", questions[0].pk)]),
        "pass_mark": 80,
        "max_attempts": 0,
        "cooldown_minutes": 0,
        "time_limit_minutes": "",
        "shuffle_options": "on",
        "layout": layout,
        "feedback": "once_passed",
    }
    response = client.post(url, nested_form_data(data))
    assert response.status_code == 302, response.context["form"].errors
    assert AssessmentPage.objects.child_of(course).get().layout == layout


def test_each_page_shows_its_place_in_the_paper(client, enrolled, assessment, questions):
    attempt = start(client, assessment)
    first = text(client.get(page_url(attempt, 1)))
    assert "<title>Question 1 of 6 – Final assessment – Recognise</title>" in first
    assert first.count("<h1") == 1 and "<h1>Question 1 of 6</h1>" in first
    assert "Single?" in first and "Pick all" not in first
    assert first.count("<fieldset") == 1 and "<legend>" in first
    # No page before the first: no Back button.
    assert 'name="back"' not in first and 'name="continue"' in first

    scenario_page = text(client.get(page_url(attempt, 5)))
    assert "<h1>Questions 5 to 6 of 6</h1>" in scenario_page
    assert "Questions 5 to 6 of 6 – Final assessment – Recognise" in scenario_page
    assert scenario_page.count("This scenario is fictional.") == 1
    assert scenario_page.index("This scenario is fictional.") < scenario_page.index("Who to call")
    assert scenario_page.count("<fieldset") == 2 and 'name="back"' in scenario_page


def test_the_pages_never_show_the_keys(client, enrolled, assessment, questions):
    attempt = start(client, assessment)
    for number in range(1, 6):
        page = client.get(page_url(attempt, number)).content.decode()
        assert "Consent is irrelevant" not in page  # the explanation
        assert "correct" not in page.lower()


def test_continue_and_back_save_the_page_and_move(client, enrolled, assessment, questions):
    single, multiple = questions[:2]
    attempt = start(client, assessment)
    moved = client.post(
        page_url(attempt, 1), {f"q{single.pk}": option(single, "Right"), "continue": "1"}
    )
    assert moved["Location"] == page_url(attempt, 2)
    assert saved(attempt) == {str(single.pk): [int(option(single, "Right"))]}

    back = client.post(
        page_url(attempt, 2), {f"q{multiple.pk}": option(multiple, "C"), "back": "1"}
    )
    assert back["Location"] == page_url(attempt, 1)
    assert saved(attempt)[str(multiple.pk)] == [int(option(multiple, "C"))]
    # What was saved is shown again when the learner comes back.
    page = client.get(page_url(attempt, 2)).content.decode()
    assert re.search(rf'value="{option(multiple, "C")}"[^>]*checked', page)

    last = client.post(page_url(attempt, 5), {"continue": "1"})
    assert last["Location"] == check_url(attempt)


def test_a_page_merges_its_answers_into_those_saved(client, enrolled, assessment, questions):
    single, multiple, true_false = questions[:3]
    attempt = start(client, assessment)
    client.post(page_url(attempt, 1), {f"q{single.pk}": option(single, "Wrong"), "continue": "1"})
    client.post(
        page_url(attempt, 2),
        {f"q{multiple.pk}": [option(multiple, "A right"), option(multiple, "B right")]},
    )
    client.post(page_url(attempt, 3), {f"q{true_false.pk}": option(true_false, "False")})
    # Changing the first answer keeps the others.
    client.post(page_url(attempt, 1), {f"q{single.pk}": option(single, "Right"), "continue": "1"})
    answers = saved(attempt)
    assert answers == {
        str(single.pk): [int(option(single, "Right"))],
        str(multiple.pk): sorted(
            [int(option(multiple, "A right")), int(option(multiple, "B right"))]
        ),
        str(true_false.pk): [int(option(true_false, "False"))],
    }
    # Unticking every box of a page's question clears that answer only.
    client.post(page_url(attempt, 2), {"continue": "1"})
    assert set(saved(attempt)) == {str(single.pk), str(true_false.pk)}


@pytest.mark.parametrize("number", ["0", "6", "99", "99999999999999999999999"])
def test_a_page_out_of_range_is_not_found_and_saves_nothing(
    client, enrolled, assessment, questions, number
):
    attempt = start(client, assessment)
    url = f"/en/learning/attempts/{attempt.pk}/questions/{number}/"
    assert client.get(url).status_code == 404
    single = questions[0]
    assert client.post(url, {f"q{single.pk}": option(single, "Right")}).status_code == 404
    assert saved(attempt) == {}


def test_answers_for_another_page_are_refused_and_nothing_is_saved(
    client, enrolled, assessment, questions
):
    single, multiple = questions[:2]
    attempt = start(client, assessment)
    refused = client.post(
        page_url(attempt, 1),
        {
            f"q{single.pk}": option(single, "Right"),
            f"q{multiple.pk}": option(multiple, "A right"),
            "continue": "1",
        },
    )
    assert refused.status_code == 400
    page = text(refused)
    assert "There is a problem" in page and "not on this page" in page
    assert "<title>Error: Question 1 of 6" in page
    assert saved(attempt) == {}
    # A question that is on no page of this paper is refused the same way.
    other = make_question("Elsewhere?")
    refused = client.post(page_url(attempt, 1), {f"q{other.pk}": option(other, "Yes")})
    assert refused.status_code == 400
    assert saved(attempt) == {}


def test_a_page_with_a_bad_answer_saves_nothing(client, enrolled, assessment, questions):
    ordering = questions[3]
    attempt = start(client, assessment)
    first, second = ordering.options.all()
    refused = client.post(
        page_url(attempt, 4),
        {f"q{ordering.pk}-{first.pk}": "1", f"q{ordering.pk}-{second.pk}": "1", "continue": "1"},
    )
    assert refused.status_code == 400
    assert "Give each step a different position" in text(refused)
    assert saved(attempt) == {}


def test_check_page_lists_every_answer_and_the_unanswered_first(
    client, enrolled, assessment, questions
):
    single, multiple, true_false, ordering = questions[:4]
    attempt = start(client, assessment)
    client.post(page_url(attempt, 1), {f"q{single.pk}": option(single, "Wrong")})
    first, second = ordering.options.all()
    client.post(
        page_url(attempt, 4),
        {f"q{ordering.pk}-{first.pk}": "2", f"q{ordering.pk}-{second.pk}": "1"},
    )
    page = text(client.get(check_url(attempt)))
    assert "<title>Check your answers – Final assessment – Recognise</title>" in page
    assert page.count("<h1") == 1
    assert "You have not answered 4 questions" in page
    for number, page_number in ((2, 2), (3, 3), (5, 5), (6, 5)):
        assert f"Answer question {number}" in page
        assert f'href="{page_url(attempt, page_number)}#question-' in page
    assert page.count("Not answered") == 4
    assert "Wrong" in page
    assert re.search(r"<ol>\s*<li>Second</li>\s*<li>First</li>\s*</ol>", page)
    assert f'href="{page_url(attempt, 1)}#question-{single.pk}">Change' in page
    assert "Submit for marking with 4 questions unanswered" in page

    for data, number in (
        ({f"q{multiple.pk}": option(multiple, "C")}, 2),
        ({f"q{true_false.pk}": option(true_false, "True")}, 3),
    ):
        client.post(page_url(attempt, number), data)
    scenario = questions[4:]
    client.post(page_url(attempt, 5), {f"q{q.pk}": option(q, "No") for q in scenario})
    page = text(client.get(check_url(attempt)))
    assert "You have not answered" not in page and "Not answered" not in page
    assert ">Submit for marking</button>" in page


def test_submitting_marks_the_saved_answers_once(client, enrolled, assessment, questions):
    single = questions[0]
    attempt = start(client, assessment)
    client.post(page_url(attempt, 1), {f"q{single.pk}": option(single, "Right")})
    response = client.post(check_url(attempt), {"submit": "5"})
    assert response["Location"] == reverse("learning:result", args=[attempt.pk])
    marked = Attempt.objects.get(pk=attempt.pk)
    assert marked.is_submitted and marked.score == 1 and marked.max_score == 6
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 6

    again = client.post(check_url(attempt), {"submit": "1"})
    assert again["Location"] == reverse("learning:result", args=[attempt.pk])
    assert Attempt.objects.get(pk=attempt.pk).submitted_at == marked.submitted_at
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 6
    # Once marked, the pages send the learner to the result and save nothing.
    late = client.post(page_url(attempt, 1), {f"q{single.pk}": option(single, "Wrong")})
    assert late["Location"] == reverse("learning:result", args=[attempt.pk])
    assert Attempt.objects.get(pk=attempt.pk).answers == marked.answers


def test_another_learners_attempt_is_not_found(client, enrolled, assessment, questions):
    attempt = start(client, assessment)
    single = questions[0]
    other = UserFactory(role="Learner")
    client.logout()
    sign_in(client, other.email)
    assert client.get(reverse("learning:my_learning")).status_code == 200
    assert client.get(page_url(attempt, 1)).status_code == 404
    assert client.get(check_url(attempt)).status_code == 404
    posted = client.post(page_url(attempt, 1), {f"q{single.pk}": option(single, "Right")})
    assert posted.status_code == 404
    assert client.post(check_url(attempt), {"submit": "1"}).status_code == 404
    assert saved(attempt) == {} and not Attempt.objects.get(pk=attempt.pk).is_submitted


def test_an_expired_attempt_is_marked_on_the_answers_saved_in_time(
    client, enrolled, assessment, questions
):
    single, multiple = questions[:2]
    attempt = start(client, assessment)
    client.post(page_url(attempt, 1), {f"q{single.pk}": option(single, "Right")})
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(hours=1))
    late = client.post(page_url(attempt, 2), {f"q{multiple.pk}": option(multiple, "A right")})
    assert late["Location"] == reverse("learning:result", args=[attempt.pk])
    marked = Attempt.objects.get(pk=attempt.pk)
    assert marked.is_submitted and marked.answers == {
        str(single.pk): [int(option(single, "Right"))]
    }
    assert marked.score == 1


def test_the_attempt_address_carries_on_where_the_learner_left_off(
    client, enrolled, assessment, questions
):
    single, multiple = questions[:2]
    attempt = start(client, assessment)
    attempt_url = reverse("learning:attempt", args=[attempt.pk])
    assert client.get(attempt_url)["Location"] == page_url(attempt, 1)
    client.post(page_url(attempt, 1), {f"q{single.pk}": option(single, "Right")})
    client.post(page_url(attempt, 2), {f"q{multiple.pk}": option(multiple, "C")})
    assert client.get(attempt_url)["Location"] == page_url(attempt, 3)


def test_a_one_page_assessment_keeps_its_one_form(client, enrolled, course, questions):
    one_page = make_assessment(course, questions[:2], slug="one-page", layout="one_page")
    response = client.post(reverse("learning:start", args=[one_page.pk]))
    attempt = Attempt.objects.get(assessment=one_page)
    assert response["Location"] == reverse("learning:attempt", args=[attempt.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Single?" in page and "Pick all" in page and "Save answers" in page
    assert client.get(page_url(attempt, 1))["Location"] == response["Location"]
    assert client.get(check_url(attempt))["Location"] == response["Location"]


def test_the_pages_are_in_welsh(client, enrolled, assessment, questions):
    attempt = start(client, assessment)
    with translation.override("cy"):
        question_page = text(client.get(page_url(attempt, 1)))
        scenario_page = text(client.get(page_url(attempt, 5)))
        check_page = text(client.get(check_url(attempt)))
    assert 'lang="cy"' in question_page
    assert "Cwestiwn 1 o 6" in question_page and "Parhau" in question_page
    assert "Cwestiynau 5 i 6 o 6" in scenario_page and "Yn ôl" in scenario_page
    assert "Gwiriwch eich atebion" in check_page and "Heb ei ateb" in check_page


def counted(client, method, url, data=None):
    with counting_queries() as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302)
    assert len(queries) <= MOST_QUERIES_PER_PAGE
    return len(queries)


@pytest.mark.parametrize("question_count", [5, 50])
def test_paged_views_make_the_same_queries_at_any_size(
    client, enrolled, course, question_count, production_cache
):
    scenario = make_scenario()
    questions = [
        make_question(f"Question {n}", scenario=scenario if n % 2 else None, position=n)
        for n in range(question_count)
    ]
    assessment = make_assessment(
        course, [q for q in questions if not q.scenario_id], [scenario], layout="paged"
    )
    client.get(assessment.url)  # warm the site cache
    client.post(reverse("learning:start", args=[assessment.pk]))
    attempt = Attempt.objects.get()
    first = attempt.paper[0]
    answer = {f"q{first['question']}": str(first["options"][0]), "continue": "1"}
    counts = (
        counted(client, "get", page_url(attempt, 1)),
        counted(client, "post", page_url(attempt, 1), answer),
        counted(client, "get", page_url(attempt, 2)),
        counted(client, "get", check_url(attempt)),
    )
    assert counts == PAGED_QUERIES


PAGED_QUERIES = (4, 4, 4, 4)


def autosave_page(client, attempt, number, data):
    url = reverse("learning:autosave", args=[attempt.pk]) + f"?page={number}"
    return client.post(url, data)


def test_background_saving_on_a_page_keeps_the_other_pages_answers(
    client, enrolled, assessment, questions
):
    single, multiple = questions[:2]
    attempt = start(client, assessment)
    client.post(page_url(attempt, 1), {f"q{single.pk}": option(single, "Right"), "continue": "1"})
    response = autosave_page(client, attempt, 2, {f"q{multiple.pk}": option(multiple, "A right")})
    assert response.status_code == 200
    assert saved(attempt) == {
        str(single.pk): [int(option(single, "Right"))],
        str(multiple.pk): [int(option(multiple, "A right"))],
    }
    # The paged form tells the script where its page's answers belong.
    page = text(client.get(page_url(attempt, 2)))
    assert f'data-autosave-url="/en/learning/attempts/{attempt.pk}/autosave/?page=2"' in page


@pytest.mark.parametrize("number", ["0", "7", "x", "１"])
def test_background_saving_for_a_page_the_paper_lacks_saves_nothing(
    client, enrolled, assessment, questions, number
):
    single = questions[0]
    attempt = start(client, assessment)
    response = autosave_page(client, attempt, number, {f"q{single.pk}": option(single, "Right")})
    assert response.status_code == 404
    assert "error" in response.json()
    assert saved(attempt) == {}


def test_background_saving_refuses_another_pages_answers(client, enrolled, assessment, questions):
    single, multiple = questions[:2]
    attempt = start(client, assessment)
    response = autosave_page(client, attempt, 1, {f"q{multiple.pk}": option(multiple, "A right")})
    assert response.status_code == 400
    assert "not on this page" in response.json()["error"]
    assert saved(attempt) == {}


def test_paged_pages_give_the_limit_the_attempt_started_under(client, enrolled, course, questions):
    timed = make_assessment(
        course, questions[:2], layout="paged", time_limit_minutes=30, slug="timed-paged"
    )
    TimeAdjustment.objects.create(learner=enrolled, extra_percent=50)
    attempt = start(client, timed)
    for url in (page_url(attempt, 1), check_url(attempt)):
        page = text(client.get(url))
        assert "Time limit: 45 minutes" in page
        assert "This includes your adjustment: 50% extra time." in page
