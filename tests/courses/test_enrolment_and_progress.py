import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from cohorts.assigning import assign
from courses.models import Enrolment, LessonCompletion
from learning.rules import is_course_complete
from learning.signals import course_completed
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_assessment,
    make_catalogue,
    make_course,
    make_lesson,
    welsh_translation,
)
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def core():
    return make_course("Recognising trafficked children", lessons=3)


@pytest.fixture
def signed_in_learner(client, learner):
    sign_in(client, learner.email)
    return learner


def enrol(client, course):
    return client.post(reverse("learning:enrol", args=[course.pk]))


def complete(client, lesson):
    return client.post(reverse("learning:complete_lesson", args=[lesson.pk]))


def test_learner_enrols_in_a_course(client, signed_in_learner, core):
    response = enrol(client, core)
    assert response.status_code == 302
    assert response.url == core.url
    assert Enrolment.objects.filter(user=signed_in_learner, course=core).count() == 1
    page = client.get(core.url).content.decode()
    assert "0 of 3 required items complete" in page
    assert ">Start course</a>" in page


def test_enrolling_twice_keeps_one_enrolment(client, signed_in_learner, core):
    enrol(client, core)
    enrol(client, core)
    assert Enrolment.objects.filter(user=signed_in_learner).count() == 1


def test_prerequisite_is_enforced_with_a_message_naming_it(client, signed_in_learner, core):
    police = make_course("Police response", prerequisites=[core])
    page = client.get(police.url).content.decode()
    assert "You need to complete Recognising trafficked children (about 30 minutes) first." in page
    assert "Recognising trafficked children" in page

    response = enrol(client, police)
    assert response.status_code == 302
    assert not Enrolment.objects.filter(course=police).exists()
    message = client.get(response.url).content.decode()
    assert "Take “Recognising trafficked children” first" in message


def test_prerequisite_met_once_the_core_course_is_complete(client, signed_in_learner, core):
    police = make_course("Police response", prerequisites=[core])
    enrol(client, core)
    for lesson in core.lessons():
        complete(client, lesson)
    assert Enrolment.objects.get(course=core).completed_at is not None
    enrol(client, police)
    assert Enrolment.objects.filter(user=signed_in_learner, course=police).exists()


def test_completing_lessons_raises_progress_and_moves_on(client, signed_in_learner, core):
    enrol(client, core)
    first, second, third = core.lessons()

    response = complete(client, first)
    assert response.status_code == 302
    assert response.url == second.url
    page = client.get(core.url).content.decode()
    assert "1 of 3 required items complete" in page
    assert f"Continue where you left off: {second.title}" in page

    complete(client, second)
    complete(client, third)
    page = client.get(core.url).content.decode()
    assert "3 of 3 required items complete" in page
    assert "You completed this course" in page


def test_marking_complete_without_enrolment_is_refused_and_saves_nothing(
    client, signed_in_learner, core
):
    lesson = core.lessons().first()
    response = complete(client, lesson)
    assert response.status_code == 302
    assert not LessonCompletion.objects.exists()
    assert not Enrolment.objects.exists()
    assert "Enrol in this course" in client.get(response.url).content.decode()


def test_marking_complete_without_prerequisites_is_refused(client, signed_in_learner, core):
    police = make_course("Police response", prerequisites=[core])
    response = complete(client, police.lessons().first())
    assert response.status_code == 302
    assert not LessonCompletion.objects.exists()
    assert "first" in client.get(response.url).content.decode()


def test_a_get_never_changes_progress(client, signed_in_learner, core):
    enrol(client, core)
    lesson = core.lessons().first()
    response = client.get(reverse("learning:complete_lesson", args=[lesson.pk]))
    assert response.status_code == 405
    client.get(lesson.url)
    assert not LessonCompletion.objects.exists()
    assert client.get(reverse("learning:enrol", args=[core.pk])).status_code == 405


def test_double_submitting_complete_keeps_one_record(client, signed_in_learner, core):
    enrol(client, core)
    lesson = core.lessons().first()
    complete(client, lesson)
    complete(client, lesson)
    assert LessonCompletion.objects.filter(lesson=lesson).count() == 1


def test_completion_signal_fires_once(client, signed_in_learner, core):
    received = []

    def receiver(sender, enrolment, **kwargs):
        received.append(enrolment.pk)

    course_completed.connect(receiver)
    try:
        enrol(client, core)
        for lesson in core.lessons():
            complete(client, lesson)
        complete(client, core.lessons().last())
    finally:
        course_completed.disconnect(receiver)
    assert received == [Enrolment.objects.get().pk]


def test_optional_lessons_do_not_hold_back_completion(learner):
    course = make_course("Course", lessons=2)
    make_lesson(course, "Further reading", required=False)
    enrolment = Enrolment.objects.create(user=learner, course=course)
    for lesson in course.lessons().filter(required=True):
        LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson)
    assert is_course_complete(enrolment)


def test_draft_lessons_are_not_required(learner):
    course = make_course("Course", lessons=1)
    make_lesson(course, "Unpublished", live=False)
    enrolment = Enrolment.objects.create(user=learner, course=course)
    LessonCompletion.objects.create(enrolment=enrolment, lesson=course.lessons().first())
    assert is_course_complete(enrolment)


def test_course_without_lessons_is_never_complete(learner):
    course = make_course("Empty", lessons=0)
    assert not is_course_complete(Enrolment.objects.create(user=learner, course=course))


def test_draft_lesson_cannot_be_marked_complete(client, signed_in_learner, core):
    draft = make_lesson(core, "Draft lesson", live=False)
    enrol(client, core)
    assert complete(client, draft).status_code == 404
    assert client.get(f"{core.url}draft-lesson/").status_code == 404


def test_signed_out_visitor_cannot_enrol(client, core):
    response = enrol(client, core)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Enrolment.objects.exists()


def test_progress_survives_signing_out_and_back_in(client, learner, core):
    sign_in(client, learner.email)
    enrol(client, core)
    first, second, _third = core.lessons()
    complete(client, first)
    client.post(reverse("account_logout"))

    sign_in(client, learner.email)
    page = client.get(core.url).content.decode()
    assert "1 of 3 required items complete" in page
    assert f"Continue where you left off: {second.title}" in page


def test_learners_progress_is_their_own(client, learner, core):
    other = UserFactory(role="Learner")
    other_enrolment = Enrolment.objects.create(user=other, course=core)
    for lesson in core.lessons():
        LessonCompletion.objects.create(enrolment=other_enrolment, lesson=lesson)
    sign_in(client, learner.email)
    page = client.get(core.url).content.decode()
    assert "Enrol in this course" in page
    assert "required items complete" not in page
    assert core.title not in client.get(reverse("learning:my_learning")).content.decode()


def test_my_learning_shows_courses_in_progress_and_completed(client, signed_in_learner, core):
    other = make_course("Second course", lessons=2)
    enrol(client, core)
    enrol(client, other)
    for lesson in other.lessons():
        complete(client, lesson)
    complete(client, core.lessons().first())

    page = client.get(reverse("learning:my_learning")).content.decode()
    in_progress = page.split('id="in-progress-heading"')[1].split("</section>")[0]
    completed = page.split('id="completed-heading"')[1].split("</section>")[0]
    assert core.title in in_progress and "1 of 3 required items complete" in in_progress
    assert other.title in completed and other.title not in in_progress


def section(page, heading_id):
    return page.split(f'id="{heading_id}"')[1].split("</section>")[0]


def card_of(section_html, title):
    return next(card for card in section_html.split("<article")[1:] if title in card)


def test_my_learning_counts_each_courses_own_required_items_wherever_it_sits(
    client, signed_in_learner, core
):
    # A course a level deeper than the others, holding items that hold nobody back.
    archive = make_catalogue().add_child(instance=Page(title="Archive", slug="archive"))
    deeper = make_course("Deeper course", lessons=2)
    deeper.move(archive, pos="last-child")
    deeper.refresh_from_db()
    make_lesson(deeper, "Further reading", required=False)
    make_lesson(deeper, "Draft lesson", live=False)
    make_assessment(deeper, title="Knowledge check", slug="knowledge-check", kind="knowledge_check")
    make_assessment(deeper)
    enrol(client, core)
    enrol(client, deeper)
    complete(client, deeper.lessons().first())

    in_progress = section(
        client.get(reverse("learning:my_learning")).content.decode(), "in-progress-heading"
    )
    # Two required lessons and the final assessment; not the optional lesson, the
    # draft or the knowledge check.
    assert "1 of 3 required items complete" in card_of(in_progress, deeper.title)
    assert "0 of 3 required items complete" in card_of(in_progress, core.title)


def test_my_learning_in_welsh_names_and_links_each_course_in_welsh(client, signed_in_learner, core):
    """A course with a Welsh translation is named and linked in Welsh; one without is
    shown as it is."""
    other = make_course("Second course", lessons=1)
    welsh_core = welsh_translation(core, "Adnabod plant sydd wedi'u masnachu")
    enrol(client, core)
    enrol(client, other)
    assign(
        core,
        datetime.date.today() + datetime.timedelta(days=30),
        OrganisationFactory(),
        UserFactory(role="Trainer"),
        user=signed_in_learner,
    )
    with translation.override("cy"):
        url = reverse("learning:my_learning")
    page = client.get(url).content.decode()

    welsh_link = f'<a href="{welsh_core.url}">Adnabod plant sydd wedi&#x27;u masnachu</a>'
    assert welsh_link in section(page, "assigned-heading")
    assert welsh_link in section(page, "in-progress-heading")
    assert f'<a href="{other.url}">Second course</a>' in section(page, "in-progress-heading")
    assert core.title not in section(page, "assigned-heading") + section(
        page, "in-progress-heading"
    )


def test_my_learning_needs_sign_in(client):
    response = client.get(reverse("learning:my_learning"))
    assert response.status_code == 302


def test_unknown_course_or_lesson_ids_are_404(client, signed_in_learner):
    assert client.post(reverse("learning:enrol", args=[999999])).status_code == 404
    assert client.post(reverse("learning:complete_lesson", args=[999999])).status_code == 404
