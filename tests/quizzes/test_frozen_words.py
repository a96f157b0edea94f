"""An attempt shows the words of the questions as they were when it started."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from courses.models import Enrolment
from quizzes.models import Attempt, Question
from tests.factories import make_assessment, make_course, make_question
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    return make_question(
        "Who can consent for a child?",
        options=(("Nobody: consent is irrelevant", True), ("The child's carer", False)),
    )


@pytest.fixture
def welsh(question):
    locale, _created = Locale.objects.get_or_create(language_code="cy")
    translated = question.copy_for_translation(locale)
    translated.prompt = "Pwy all gydsynio dros blentyn?"
    translated.save()
    texts = ["Neb: mae cydsyniad yn amherthnasol", "Gofalwr y plentyn"]
    for option, text in zip(translated.options.all(), texts, strict=True):
        option.text = text
        option.save()
    # A translation is a draft until it is published, like any other change.
    translated = Question.objects.get(pk=translated.pk)
    translated.save_revision().publish()
    return translated


@pytest.fixture
def assessment(question):
    course = make_course("Core course", lessons=1)
    return make_assessment(
        course,
        [question],
        feedback="after_submission",
    )


@pytest.fixture
def started(client, learner, assessment, welsh):
    sign_in(client, learner.email)
    Enrolment.objects.create(user=learner, course_id=assessment.get_parent().pk)
    client.post(reverse("learning:start", args=[assessment.pk]))
    return Attempt.objects.get(user=learner)


def publish_change(question, prompt, first_option):
    """A publisher's change, through a revision as the admin makes it."""
    draft = question.get_latest_revision_as_object()
    draft.prompt = prompt
    options = list(draft.options.all())
    options[0].text = first_option
    draft.options = options
    draft.save_revision().publish()


def pages(client, attempt, language):
    with translation.override(language):
        attempt_page = client.get(reverse("learning:attempt", args=[attempt.pk]))
        assert attempt_page.status_code == 200
        client.post(reverse("learning:attempt", args=[attempt.pk]), {"submit": "anyway"})
        result_page = client.get(reverse("learning:result", args=[attempt.pk]))
        assert result_page.status_code == 200
    return attempt_page.content.decode(), result_page.content.decode()


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        (
            "en",
            ["Who can consent for a child?", "Nobody: consent is irrelevant"],
            ["Edited prompt", "Edited option"],
        ),
        (
            "cy",
            ["Pwy all gydsynio dros blentyn?", "Neb: mae cydsyniad yn amherthnasol"],
            ["Cwestiwn wedi", "Opsiwn wedi"],
        ),
    ],
)
def test_publishing_a_change_changes_nothing_an_attempt_already_started_shows(
    client, question, welsh, started, language, shown, not_shown
):
    publish_change(question, "Edited prompt", "Edited option")
    publish_change(welsh, "Cwestiwn wedi ei newid", "Opsiwn wedi ei newid")
    question.refresh_from_db()
    assert question.prompt == "Edited prompt"
    for page in pages(client, started, language):
        for text in shown:
            assert text in page
        for text in not_shown:
            assert text not in page


def test_a_new_attempt_shows_the_published_change(client, learner, question, welsh, started):
    publish_change(question, "Edited prompt", "Edited option")
    client.post(reverse("learning:attempt", args=[started.pk]), {"submit": "anyway"})
    client.post(reverse("learning:start", args=[started.assessment_id]))
    second = Attempt.objects.filter(user=learner).exclude(pk=started.pk).get()
    page = client.get(reverse("learning:attempt", args=[second.pk])).content.decode()
    assert "Edited prompt" in page
    assert "Edited option" in page


def test_attempts_started_before_papers_kept_their_words_read_the_questions(
    client, question, welsh, started
):
    for item in started.paper:
        del item["text"]
    Attempt.objects.filter(pk=started.pk).update(paper=started.paper)
    publish_change(question, "Edited prompt", "Edited option")
    url = reverse("learning:attempt", args=[started.pk])
    assert "Edited prompt" in client.get(url).content.decode()
    with translation.override("cy"):
        welsh_page = client.get(reverse("learning:attempt", args=[started.pk])).content.decode()
    assert "Pwy all gydsynio dros blentyn?" in welsh_page
