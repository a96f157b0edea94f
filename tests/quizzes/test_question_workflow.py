"""Questions and scenario stems go through safeguarding review and publication approval,
as pages do, and learners only ever meet what has been through both steps."""

import json
import random

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Locale, WorkflowState

from learning.attempts import resolve_questions, submit_attempt
from quizzes.models import Question, ScenarioGroup
from tests.factories import UserFactory, make_assessment, make_question, make_scenario
from tests.quizzes.conftest import Contributor
from tests.quizzes.test_question_review import answer_key, client_for, edit_form, status, take

pytestmark = pytest.mark.django_db

OLD_PROMPT = "Who can refer a child to the NRM?"
NEW_PROMPT = "Which organisations may refer a child to the NRM?"
RIGHT = "A first responder organisation"
WRONG = "Anyone at all"


@pytest.fixture
def reviewer_user():
    return UserFactory(role="Safeguarding reviewer")


@pytest.fixture
def reviewer(reviewer_user):
    return client_for(reviewer_user)


@pytest.fixture
def publisher():
    return client_for(UserFactory(role="Publisher"))


@pytest.fixture
def second_ngo(db):
    return Contributor("Demo Youth Support Network", "Youth work", "youth-work")


@pytest.fixture
def editor(contributor):
    return client_for(contributor.editor, contributor.secret)


def published(instance):
    instance.save_revision().publish()
    instance.refresh_from_db()
    return instance


def url(model, name, *args):
    return reverse(f"wagtailsnippets_quizzes_{model}:{name}", args=args)


def in_review(instance):
    """The name of the step the instance waits at, or None."""
    state = WorkflowState.objects.for_instance(instance).filter(status="in_progress").first()
    return state.current_task_state.task.name if state else None


def act(client, instance, action):
    task_state = instance.current_workflow_task_state
    model = instance._meta.model_name
    return client.post(
        url(model, "workflow_action", instance.pk, action, task_state.pk), {"comment": ""}
    )


def key_of(attempt, question):
    return attempt.keys[str(question.pk)]["correct"]


def prompt_of(attempt, language="en"):
    return attempt.paper[0]["text"][language]["prompt"]


def editor_cannot_publish(editor, instance, form):
    """The editor is offered no publish button, and a posted publish publishes nothing."""
    model = instance._meta.model_name
    page = editor.get(url(model, "edit", instance.pk)).content.decode()
    assert 'name="action-publish"' not in page
    live_revision = type(instance).objects.get(pk=instance.pk).live_revision_id
    editor.post(url(model, "edit", instance.pk), {**form, "action-publish": "action-publish"})
    assert type(instance).objects.get(pk=instance.pk).live_revision_id == live_revision


def test_an_editors_change_to_a_question_is_asked_only_after_review_and_publication(
    contributor, editor, reviewer, reviewer_user, publisher, django_capture_on_commit_callbacks
):
    question = published(
        make_question(
            OLD_PROMPT, options=((RIGHT, True), (WRONG, False)), category=contributor.category
        )
    )
    final = make_assessment(contributor.course, [question])
    right = question.options.get(text=RIGHT).pk
    wrong = question.options.get(text=WRONG).pk
    edit = url("question", "edit", question.pk)

    # The editor's change (a new prompt, the key flipped) is saved as a draft only.
    response = editor.post(edit, edit_form(question, prompt=NEW_PROMPT, correct=WRONG))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.prompt == OLD_PROMPT and answer_key(question)[RIGHT]
    assert question.has_unpublished_changes
    before = take(final, UserFactory(role="Learner"))
    assert prompt_of(before) == OLD_PROMPT
    assert key_of(before, question) == [right]
    editor_cannot_publish(editor, question, edit_form(question, prompt=NEW_PROMPT, correct=WRONG))

    # Submitted, it waits for safeguarding review, and reviewers are told; the editor
    # cannot approve it, nor change it while it is reviewed.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            edit, edit_form(question, prompt=NEW_PROMPT, correct=WRONG, action="action-submit")
        )
    assert response.status_code == 302
    assert in_review(question) == "Safeguarding review"
    assert [reviewer_user.email] in [message.to for message in mail.outbox]
    assert act(editor, question, "approve").status_code == 403
    response = editor.post(
        edit, edit_form(question, prompt="Sneaked in", correct=RIGHT, action="action-submit")
    )
    assert "could not be saved as it is locked" in response.content.decode()
    assert question.get_latest_revision_as_object().prompt == NEW_PROMPT
    assert question.get_latest_revision_as_object().prompt != "Sneaked in"

    # The reviewer approves the review step; the publisher is not asked for it.
    assert act(publisher, question, "approve").status_code == 403
    assert act(reviewer, question, "approve").status_code == 302
    assert in_review(question) == "Publication approval"
    assert act(reviewer, question, "approve").status_code == 403
    question.refresh_from_db()
    assert question.prompt == OLD_PROMPT
    assert prompt_of(take(final, UserFactory(role="Learner"))) == OLD_PROMPT

    # The publisher approves the publication step: only now is the change asked.
    assert act(publisher, question, "approve").status_code == 302
    assert in_review(question) is None
    question.refresh_from_db()
    assert question.live and not question.has_unpublished_changes
    assert question.prompt == NEW_PROMPT and answer_key(question)[WRONG]
    after = take(final, UserFactory(role="Learner"))
    assert prompt_of(after) == NEW_PROMPT
    assert key_of(after, question) == [wrong]

    # The attempt started before keeps the words and the key it started with.
    before.refresh_from_db()
    assert prompt_of(before) == OLD_PROMPT
    marked = submit_attempt(before.pk, before.user, answers={str(question.pk): [right]})
    assert marked.passed and marked.percent == 100


def stem_form(scenario, stem_text, action=None):
    """The scenario group's form as the admin posts it (the stem as the editor's
    content state)."""
    data = {
        "title": scenario.title,
        "slug": scenario.slug,
        "category": scenario.category_id,
        "stem": json.dumps(
            {
                "blocks": [
                    {
                        "key": "stem1",
                        "text": stem_text,
                        "type": "unstyled",
                        "depth": 0,
                        "inlineStyleRanges": [],
                        "entityRanges": [],
                    }
                ],
                "entityMap": {},
            }
        ),
    }
    if action:
        data[action] = action
    return data


OLD_STEM = "<p>This scenario is fictional. A girl arrives with an adult.</p>"
NEW_STEM = "This scenario is fictional. A boy is collected from school by a stranger."


def stem_shown(attempt):
    return attempt.paper[0]["text"]["en"]["scenario"][1]


def test_an_editors_change_to_a_scenario_stem_is_shown_only_after_review_and_publication(
    contributor, editor, reviewer, publisher
):
    scenario = published(make_scenario("At the school gate", category=contributor.category))
    assert scenario.stem == OLD_STEM
    question = published(
        make_question("What do you do first?", category=contributor.category, scenario=scenario)
    )
    final = make_assessment(contributor.course, scenarios=[scenario])
    edit = url("scenariogroup", "edit", scenario.pk)

    # A draft: the row learners read is unchanged.
    assert editor.post(edit, stem_form(scenario, NEW_STEM)).status_code == 302
    scenario.refresh_from_db()
    assert scenario.stem == OLD_STEM and scenario.has_unpublished_changes
    assert NEW_STEM in scenario.get_latest_revision_as_object().stem
    before = take(final, UserFactory(role="Learner"))
    assert stem_shown(before) == OLD_STEM
    editor_cannot_publish(editor, scenario, stem_form(scenario, NEW_STEM))

    # Submitted, reviewed, then approved for publication.
    assert editor.post(edit, stem_form(scenario, NEW_STEM, "action-submit")).status_code == 302
    assert in_review(scenario) == "Safeguarding review"
    assert act(editor, scenario, "approve").status_code == 403
    assert act(reviewer, scenario, "approve").status_code == 302
    assert in_review(scenario) == "Publication approval"
    scenario.refresh_from_db()
    assert scenario.stem == OLD_STEM
    assert stem_shown(take(final, UserFactory(role="Learner"))) == OLD_STEM
    assert act(publisher, scenario, "approve").status_code == 302
    scenario.refresh_from_db()
    assert NEW_STEM in scenario.stem
    assert NEW_STEM in stem_shown(take(final, UserFactory(role="Learner")))
    before.refresh_from_db()
    assert stem_shown(before) == OLD_STEM
    assert [item["question"] for item in before.paper] == [question.pk]


def test_a_scenario_group_never_published_is_never_asked(contributor, editor):
    response = editor.post(
        url("scenariogroup", "add"),
        stem_form(
            ScenarioGroup(title="A proposal", slug="a-proposal", category=contributor.category),
            NEW_STEM,
            "action-submit",
        ),
    )
    assert response.status_code == 302
    proposal = ScenarioGroup.objects.get(slug="a-proposal")
    assert not proposal.live
    assert in_review(proposal) == "Safeguarding review"
    alone = published(make_question("Alone", category=contributor.category))
    inside = published(
        make_question("Inside the proposal", category=contributor.category, scenario=proposal)
    )
    final = make_assessment(contributor.course, [alone], scenarios=[proposal])
    asked = resolve_questions(final, random.Random(1))
    assert [question.pk for question in asked] == [alone.pk]
    assert inside.live


def test_a_scenario_group_outside_the_editors_courses_is_refused(contributor, second_ngo):
    scenario = published(make_scenario("Core stem", category=contributor.category))
    client = client_for(second_ngo.editor, second_ngo.secret)
    for name in ("edit", "history", "workflow_history", "unpublish"):
        address = url("scenariogroup", name, scenario.pk)
        assert status(client, client.get(address), address) == 404
    address = url("scenariogroup", "edit", scenario.pk)
    response = client.post(address, stem_form(scenario, NEW_STEM, "action-submit"))
    assert status(client, response, address) == 404
    scenario.refresh_from_db()
    assert scenario.stem == OLD_STEM and in_review(scenario) is None
    listing = client.get(url("scenariogroup", "list")).content.decode()
    assert "Core stem" not in listing


def test_a_welsh_translation_is_asked_in_welsh_only_after_review_and_publication(
    contributor, editor, reviewer, publisher
):
    question = published(
        make_question(
            OLD_PROMPT, options=((RIGHT, True), (WRONG, False)), category=contributor.category
        )
    )
    final = make_assessment(contributor.course, [question])
    welsh = question.copy_for_translation(Locale.objects.get(language_code="cy"))
    welsh.save()
    welsh = Question.objects.get(pk=welsh.pk)
    # A new translation is a draft: learners keep the English words.
    assert not welsh.live and welsh.live_revision is None
    assert "cy" not in take(final, UserFactory(role="Learner")).paper[0]["text"]

    form = edit_form(welsh, prompt="Pwy all atgyfeirio plentyn i'r NRM?", action="action-submit")
    form.update({"options-0-text": "Sefydliad ymatebwr cyntaf", "options-1-text": "Unrhyw un"})
    edit = url("question", "edit", welsh.pk)
    editor_cannot_publish(editor, welsh, {**form, "action-submit": ""})
    assert editor.post(edit, form).status_code == 302
    assert in_review(welsh) == "Safeguarding review"
    assert "cy" not in take(final, UserFactory(role="Learner")).paper[0]["text"]
    assert act(reviewer, welsh, "approve").status_code == 302
    welsh.refresh_from_db()
    assert not welsh.live
    assert act(publisher, welsh, "approve").status_code == 302
    welsh.refresh_from_db()
    assert welsh.live
    words = take(final, UserFactory(role="Learner")).paper[0]["text"]["cy"]
    assert words["prompt"] == "Pwy all atgyfeirio plentyn i'r NRM?"
    assert sorted(text for text, _feedback in words["options"].values()) == [
        "Sefydliad ymatebwr cyntaf",
        "Unrhyw un",
    ]


def test_an_editor_cannot_propose_a_scenario_group_for_a_course_they_do_not_contribute_to(
    contributor, second_ngo
):
    client = client_for(second_ngo.editor, second_ngo.secret)
    response = client.post(
        url("scenariogroup", "add"),
        stem_form(
            ScenarioGroup(title="Smuggled stem", slug="smuggled", category=contributor.category),
            NEW_STEM,
            "action-submit",
        ),
    )
    assert response.status_code == 200
    assert "Choose a category of a course your organisation contributes to." in (
        response.content.decode()
    )
    assert not ScenarioGroup.objects.filter(slug="smuggled").exists()
