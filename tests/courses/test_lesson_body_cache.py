"""A lesson's body is rendered once per publication and language and kept for every
reader: a new publication shows at once, a preview never reads or fills the kept copy,
and each language has its own."""

import pytest
from django.utils import translation

from core.page_cache import forget_all_pages
from courses.models import LessonPage
from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db

FIRST_BODY = "Text of Core course lesson 1."
NEW_BODY = "Ask who pays for the journey."


@pytest.fixture
def lesson():
    return make_course("Core course", lessons=1).lessons().first()


@pytest.fixture
def reader(client):
    client.force_login(UserFactory(role="Learner"))
    return client


def read(reader, url):
    response = reader.get(url)
    assert response.status_code == 200
    return response.content.decode()


def draft_with_new_body(lesson):
    draft = lesson.save_revision().as_object()
    draft.body = [{"type": "rich_text", "value": f"<p>{NEW_BODY}</p>"}]
    return draft.save_revision()


def test_the_body_is_kept_until_the_lesson_is_published_again(reader, lesson):
    assert FIRST_BODY in read(reader, lesson.url)

    # Changed in the database without publishing, and the whole page rendered afresh:
    # the body still comes from the kept copy.
    LessonPage.objects.filter(pk=lesson.pk).update(
        body=[{"type": "rich_text", "value": "<p>Not published.</p>"}]
    )
    forget_all_pages()
    assert FIRST_BODY in read(reader, lesson.url)

    draft_with_new_body(lesson).publish()
    page = read(reader, lesson.url)
    assert NEW_BODY in page
    assert FIRST_BODY not in page


def test_a_preview_neither_fills_nor_reads_the_kept_body(reader, lesson):
    revision = draft_with_new_body(lesson)

    # Previewed before any reader: the draft must not become what readers are given.
    assert NEW_BODY in revision.as_object().make_preview_request().content.decode()
    page = read(reader, lesson.url)
    assert FIRST_BODY in page
    assert NEW_BODY not in page

    # Previewed once readers have the kept copy: the preview shows the draft.
    preview = revision.as_object().make_preview_request().content.decode()
    assert NEW_BODY in preview
    assert FIRST_BODY not in preview


def test_welsh_and_english_readers_each_get_the_body_in_their_language(reader, lesson):
    with translation.override("cy"):
        welsh_heading = translation.gettext("Sources")
    assert welsh_heading != "Sources"
    welsh_url = lesson.url.replace("/en/", "/cy/", 1)

    english = read(reader, lesson.url)
    welsh = read(reader, welsh_url)
    assert '<h2 id="sources-heading">Sources</h2>' in english
    assert f'<h2 id="sources-heading">{welsh_heading}</h2>' in welsh

    # And the other way round, once both are kept.
    forget_all_pages()
    assert f'<h2 id="sources-heading">{welsh_heading}</h2>' in read(reader, welsh_url)
    assert '<h2 id="sources-heading">Sources</h2>' in read(reader, lesson.url)
