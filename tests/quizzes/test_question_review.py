"""Question changes are reviewed, and NGO editors reach only their own courses' questions."""

import random

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from wagtail.admin.viewsets import viewsets as admin_viewsets

from courses.models import Enrolment
from learning.attempts import resolve_questions, start_attempt
from quizzes.models import Question
from quizzes.wagtail_hooks import QuestionChooserViewSet, QuestionViewSet
from tests.factories import (
    UserFactory,
    make_assessment,
    make_category,
    make_course,
    make_question,
)
from tests.quizzes.conftest import Contributor
from tests.quizzes.test_admin import question_form
from tests.signing_in import enrol_totp, sign_in_with_totp

pytestmark = pytest.mark.django_db


def status(client, response, url):
    """The response's status; a not-found admin address is first redirected by
    LocaleMiddleware to the same address under /en/, which is read instead."""
    if response.status_code == 302 and response["Location"] == f"/en{url}":
        return client.get(response["Location"]).status_code
    return response.status_code


TRAP = "He chooses to go and is well paid, so this cannot be trafficking"


@pytest.fixture
def core():
    """The core course's final assessment, with a question in the core category,
    which belongs to the core course (no NGO contributes to it)."""
    course = make_course("Recognising and responding", lessons=1)
    category = make_category("core")
    category.course = course
    category.save()
    question = make_question(
        "Can consent make the exploitation of a child lawful?",
        options=(("No, a child cannot consent", True), (TRAP, False)),
        category=category,
    )
    final = make_assessment(course, [question])
    return question, final


@pytest.fixture
def second_ngo(db):
    """The second demo NGO: its editor contributes to a course of its own only."""
    return Contributor("Demo Youth Support Network", "Youth work", "youth-work")


def client_for(user, secret=None):
    client = Client(raise_request_exception=False)
    sign_in_with_totp(client, user, secret or enrol_totp(user))
    return client


def edit_form(question, prompt=None, correct=None, action=None):
    """The question's edit form as posted, with a new prompt or a new right option."""
    options = list(question.options.all())
    data = {
        "prompt": prompt or question.prompt,
        "kind": question.kind,
        "scoring_rule": question.scoring_rule,
        "category": question.category_id,
        "scenario": question.scenario_id or "",
        "position_in_scenario": str(question.position_in_scenario),
        "explanation": question.explanation,
        "source_reference": question.source_reference,
        "slug": question.slug,
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": str(len(options)),
        "options-MIN_NUM_FORMS": "2",
        "options-MAX_NUM_FORMS": "1000",
    }
    for index, option in enumerate(options):
        data[f"options-{index}-id"] = str(option.pk)
        data[f"options-{index}-text"] = option.text
        data[f"options-{index}-feedback"] = option.feedback
        data[f"options-{index}-ORDER"] = str(index + 1)
        is_correct = option.text == correct if correct else option.is_correct
        if is_correct:
            data[f"options-{index}-is_correct"] = "on"
    if action:
        data[action] = action
    return data


def answer_key(question):
    return {option.text: option.is_correct for option in question.options.all()}


def take(final, learner):
    Enrolment.objects.get_or_create(user=learner, course_id=final.get_parent().pk)
    return start_attempt(learner, final)


def pattern_kwargs(pattern, question, revision):
    """Arguments for any URL pattern of the viewsets: the question and its revision."""
    values = {
        "pk": question.pk,
        "revision_id": revision.pk,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        # The workflow's views: the guard answers before any task is looked at.
        "action_name": "approve",
        "task_state_id": 1,
        "task_id": 1,
        "workflow_state_id": 1,
    }
    return {name: values[name] for name in pattern.pattern.regex.groupindex}


def question_urls(question, revision):
    """Every URL of the question snippet's viewset and of its chooser, as registered."""
    urls = []
    for viewset in admin_viewsets.viewsets:
        if not isinstance(viewset, QuestionViewSet | QuestionChooserViewSet):
            continue
        for pattern in viewset.get_urlpatterns():
            assert isinstance(pattern, URLPattern)
            name = viewset.get_url_name(pattern.name)
            kwargs = pattern_kwargs(pattern, question, revision)
            urls.append((name, reverse(name, kwargs=kwargs), "pk" in kwargs))
    return urls


def test_the_second_ngos_editor_is_refused_the_core_question_by_every_admin_url(core, second_ngo):
    question, _final = core
    revision = question.save_revision()
    revision.publish()
    question.refresh_from_db()
    client = client_for(second_ngo.editor, second_ngo.secret)
    urls = question_urls(question, revision)
    assert len(urls) > 15  # the listing, edit, history, revisions, unpublish, chooser...
    for name, url, takes_the_question in urls:
        # The question's own form, its answer key flipped, is posted to every URL that
        # takes the question; the others are asked for.
        if takes_the_question:
            form = edit_form(question, correct=TRAP, action="action-publish")
            answers = [client.get(url), client.post(url, form)]
        else:
            answers = [client.get(url)]
        for response in answers:
            assert response.status_code < 500, name
            content = response.content.decode()
            assert question.prompt not in content, name
            assert TRAP not in content, name
            if takes_the_question:
                assert status(client, response, url) in (403, 404), name
    question.refresh_from_db()
    assert question.live and not question.has_unpublished_changes
    assert question.latest_revision_id == revision.pk


def test_the_second_ngos_editor_cannot_change_the_answer_key(core, second_ngo):
    question, final = core
    key = answer_key(question)
    client = client_for(second_ngo.editor, second_ngo.secret)
    url = reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])
    for action in (None, "action-publish"):
        response = client.post(url, edit_form(question, correct=TRAP, action=action))
        assert status(client, response, url) == 404
    question.refresh_from_db()
    assert answer_key(question) == key
    assert not question.revisions.exists()
    attempt = take(final, UserFactory(role="Learner"))
    correct = attempt.keys[str(question.pk)]["correct"]
    assert correct == [question.options.get(is_correct=True).pk]


def test_the_second_ngos_editor_cannot_put_a_question_in_the_core_category(core, second_ngo):
    question, _final = core
    client = client_for(second_ngo.editor, second_ngo.secret)
    response = client.post(
        reverse("wagtailsnippets_quizzes_question:add"),
        question_form(
            "Smuggled in?", "single", [("A", True), ("B", False)], None, category=question.category
        ),
    )
    assert response.status_code == 200
    assert "Choose a category of a course your organisation contributes to." in (
        response.content.decode()
    )
    assert not Question.objects.filter(prompt="Smuggled in?").exists()


def test_editors_see_only_their_courses_questions_and_reviewers_all(core, contributor):
    question, _final = core
    own = make_question("What does an NGO first do?", category=contributor.category)
    editor = client_for(contributor.editor, contributor.secret)
    listing = editor.get(reverse("wagtailsnippets_quizzes_question:list")).content.decode()
    chooser = editor.get(reverse("wagtailsnippetchoosers_quizzes_question:choose")).content.decode()
    for page in (listing, chooser):
        assert own.prompt in page
        assert question.prompt not in page
    reviewer = client_for(UserFactory(role="Safeguarding reviewer"))
    publisher = client_for(UserFactory(role="Publisher"))
    for client in (reviewer, publisher):
        page = client.get(reverse("wagtailsnippets_quizzes_question:list")).content.decode()
        assert own.prompt in page
        assert question.prompt in page


def test_an_editors_change_waits_as_a_draft_until_a_publisher_publishes_it(contributor):
    question = make_question(
        "Who can refer a child to the NRM?",
        options=(("A first responder organisation", True), ("Anyone at all", False)),
        category=contributor.category,
    )
    final = make_assessment(contributor.course, [question])
    editor = client_for(contributor.editor, contributor.secret)
    url = reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])

    # Saving, or trying to publish, leaves a draft: learners still get the live version.
    for action in (None, "action-publish"):
        response = editor.post(
            url,
            edit_form(question, prompt="Edited prompt", correct="Anyone at all", action=action),
        )
        assert response.status_code == 302
    question.refresh_from_db()
    assert question.prompt == "Who can refer a child to the NRM?"
    assert answer_key(question)["A first responder organisation"]
    assert question.has_unpublished_changes
    learner = UserFactory(role="Learner")
    before = take(final, learner)
    right = question.options.get(text="A first responder organisation").pk
    assert before.keys[str(question.pk)]["correct"] == [right]
    assert before.paper[0]["text"]["en"]["prompt"] == "Who can refer a child to the NRM?"

    publisher = client_for(UserFactory(role="Publisher"))
    draft = question.get_latest_revision_as_object()
    response = publisher.post(url, edit_form(draft, action="action-publish"))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.prompt == "Edited prompt"
    assert answer_key(question)["Anyone at all"]
    after = take(final, UserFactory(role="Learner"))
    assert after.paper[0]["text"]["en"]["prompt"] == "Edited prompt"


def test_a_question_an_editor_adds_is_never_asked_until_published(contributor):
    make_question("Already live", category=contributor.category)
    final = make_assessment(contributor.course, random=[(contributor.category, 5)])
    editor = client_for(contributor.editor, contributor.secret)
    response = editor.post(
        reverse("wagtailsnippets_quizzes_question:add"),
        question_form(
            "A proposal", "single", [("A", True), ("B", False)], category=contributor.category
        ),
    )
    assert response.status_code == 302
    proposal = Question.objects.get(prompt="A proposal")
    assert not proposal.live
    asked = resolve_questions(final, random.Random(1))
    assert [question.prompt for question in asked] == ["Already live"]
