"""Honest prerequisites, task-list statuses and the moments a lesson or course is done."""

import pytest
from django.urls import reverse
from django.utils.timezone import now

from accounts.models import Sector
from courses.models import Enrolment, LessonCompletion
from learning.progress import start_new_cycle
from learning.rules import TaskStatus, task_status
from quizzes.models import Attempt
from tests.factories import (
    OrganisationFactory,
    make_assessment,
    make_course,
    make_question,
    make_sector_page,
    welsh_translation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def core():
    return make_course("Recognising trafficked children", sectors=list(Sector.values), lessons=2)


@pytest.fixture
def police(core):
    return make_course("Police course", sectors=["police"], prerequisites=[core])


def test_visitor_is_told_plainly_to_take_the_core_course_first(client, core, police):
    page = client.get(police.url).content.decode()
    assert "You need to complete Recognising trafficked children (about 30 minutes) first." in page
    assert f'<a class="button" href="{core.url}">Start with the core course</a>' in page
    back = f"?next={police.url}"
    assert reverse("account_signup") + back in page
    assert reverse("account_login") + back in page
    assert "Take first" not in page
    assert page.count(str(TaskStatus.CANNOT_START_YET.label)) == 3


def test_learner_who_has_not_finished_the_core_course_sees_the_same_sentence(
    client, learner, core, police
):
    Enrolment.objects.create(user=learner, course=core)
    client.force_login(learner)
    page = client.get(police.url).content.decode()
    assert "You need to complete Recognising trafficked children (about 30 minutes) first." in page
    assert "Take first" not in page
    assert reverse("account_signup") not in page


def test_course_button_says_start_until_something_is_done(client, learner, core):
    enrolment = Enrolment.objects.create(user=learner, course=core)
    client.force_login(learner)
    page = client.get(core.url).content.decode()
    assert ">Start course</a>" in page
    assert "Continue where you left off" not in page
    first, second = core.lessons()
    LessonCompletion.objects.create(enrolment=enrolment, lesson=first)
    page = client.get(core.url).content.decode()
    assert f"Continue where you left off: {second.title}" in page
    assert ">Start course</a>" not in page


def test_every_row_has_its_task_status(client, learner, core):
    enrolment = Enrolment.objects.create(user=learner, course=core)
    first, _second = core.lessons()
    LessonCompletion.objects.create(enrolment=enrolment, lesson=first)
    assessment = make_assessment(core, questions=[make_question()])
    Attempt.objects.create(user=learner, assessment=assessment, number=1)
    client.force_login(learner)
    response = client.get(core.url)
    statuses = [item.task_status for item in response.context["lessons"]]
    assert statuses == [TaskStatus.COMPLETED, TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS]
    page = response.content.decode()
    assert "task-list__status--in_progress" in page


def test_task_status_rule():
    assert task_status(done=True, can_start=False) == TaskStatus.COMPLETED
    assert task_status(done=False, can_start=False) == TaskStatus.CANNOT_START_YET
    assert task_status(done=False, can_start=True, failed=True) == TaskStatus.NOT_PASSED
    assert (
        task_status(done=False, can_start=True, failed=True, open_attempt=True)
        == TaskStatus.IN_PROGRESS
    )
    assert task_status(done=False, can_start=True) == TaskStatus.NOT_STARTED


def test_marking_a_lesson_complete_confirms_it(client, learner, core):
    Enrolment.objects.create(user=learner, course=core)
    client.force_login(learner)
    first = core.lessons().first()
    response = client.post(reverse("learning:complete_lesson", args=[first.pk]), follow=True)
    assert f"You completed the lesson “{first.title}”." in response.content.decode()


def complete_course(client, learner, course):
    Enrolment.objects.create(user=learner, course=course)
    client.force_login(learner)
    for lesson in course.lessons():
        client.post(reverse("learning:complete_lesson", args=[lesson.pk]))


def test_completed_course_shows_the_certificate_and_the_course_for_the_learners_sector(
    client, learner, core, police
):
    make_course("Health course", sectors=["health"], prerequisites=[core])
    learner.memberships.create(organisation=OrganisationFactory(sector="police"))
    complete_course(client, learner, core)
    page = client.get(core.url).content.decode()
    assert "Your certificate is ready" in page
    certificate = learner.certificates.get()
    assert reverse("certificates:detail", args=[certificate.pk]) in page
    assert "View your certificate" in page
    assert "Next: the course for your sector" in page
    assert f'href="{police.url}"' in page
    assert "Health course" not in page


def test_learner_without_a_sector_is_asked_to_choose_one(client, learner, core, police):
    sector_page = make_sector_page("police")
    complete_course(client, learner, core)
    page = client.get(core.url).content.decode()
    assert "Next: choose the course for your sector" in page
    assert f'href="{sector_page.get_parent().url}"' in page


def test_passing_the_last_assessment_links_to_the_certificate_and_the_next_course(
    client, learner, police
):
    course = make_course("Assessed course", sectors=["police"], lessons=0)
    police.prerequisites.add(course)
    police.save()
    question = make_question()
    assessment = make_assessment(course, questions=[question])
    learner.memberships.create(organisation=OrganisationFactory(sector="police"))
    Enrolment.objects.create(user=learner, course=course)
    client.force_login(learner)
    client.post(reverse("learning:start", args=[assessment.pk]))
    attempt = Attempt.objects.get(user=learner)
    right = question.options.get(is_correct=True)
    response = client.post(
        reverse("learning:attempt", args=[attempt.pk]),
        {f"q{question.pk}": [str(right.pk)], "submit": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert "You passed." in page
    assert "Your certificate is ready" in page
    assert reverse("certificates:detail", args=[learner.certificates.get().pk]) in page
    assert f'href="{police.url}"' in page
    assert "Back to the assessment" not in page


def test_an_assessment_shows_not_passed_then_completed_and_a_refresher_starts_afresh(
    client, learner, core
):
    enrolment = Enrolment.objects.create(user=learner, course=core)
    first, _second = core.lessons()
    LessonCompletion.objects.create(enrolment=enrolment, lesson=first)
    assessment = make_assessment(core, questions=[make_question()])
    # An attempt at another course's assessment says nothing about this one.
    other = make_assessment(make_course("Other course", lessons=0), questions=[make_question()])
    Attempt.objects.create(
        user=learner, assessment=other, number=1, submitted_at=now(), passed=True
    )
    client.force_login(learner)

    def statuses():
        return [item.task_status for item in client.get(core.url).context["lessons"]]

    failed = Attempt.objects.create(user=learner, assessment=assessment, number=1)
    assert statuses()[2] == TaskStatus.IN_PROGRESS
    Attempt.objects.filter(pk=failed.pk).update(submitted_at=now(), passed=False)
    assert statuses() == [TaskStatus.COMPLETED, TaskStatus.NOT_STARTED, TaskStatus.NOT_PASSED]
    Attempt.objects.create(
        user=learner, assessment=assessment, number=2, submitted_at=now(), passed=True
    )
    assert statuses() == [TaskStatus.COMPLETED, TaskStatus.NOT_STARTED, TaskStatus.COMPLETED]

    # A refresher: nothing from the earlier cycle counts any more.
    start_new_cycle(enrolment)
    assert statuses() == [TaskStatus.NOT_STARTED] * 3


def test_the_courses_to_take_first_are_the_published_ones_and_a_preview_shows_the_drafts(
    client, learner, core, police
):
    withdrawn = make_course("Withdrawn course")
    police.prerequisites.add(withdrawn)
    police.save_revision().publish()
    withdrawn.unpublish()
    Enrolment.objects.create(user=learner, course=police, completed_at=now())
    client.force_login(learner)
    page = client.get(police.url).content.decode()
    assert f'<a href="{core.url}">Recognising trafficked children</a>' in page
    assert "Withdrawn course" not in page

    # An editor changes the courses to take first in a draft: its preview shows the
    # draft's choice, and readers still see the published one.
    other = make_course("Safeguarding basics")
    draft = police.get_latest_revision_as_object()
    draft.prerequisites = [other]
    revision = draft.save_revision()
    preview = revision.as_object().make_preview_request().content.decode()
    assert "Safeguarding basics" in preview
    assert "Recognising trafficked children (about 30 minutes)" not in preview
    page = client.get(police.url).content.decode()
    assert "Safeguarding basics" not in page
    assert "Recognising trafficked children" in page


def test_welsh_readers_are_sent_to_the_welsh_courses_to_take_first(client, learner, core, police):
    welsh_core = welsh_translation(core, "Adnabod plant sydd wedi'u masnachu")
    welsh_police = welsh_translation(police, "Cwrs yr heddlu")
    client.force_login(learner)

    # Not yet taken: the sentence and the button lead to the Welsh core course.
    page = client.get(welsh_police.url).content.decode()
    assert "Adnabod plant sydd wedi" in page
    assert f'href="{welsh_core.url}"' in page

    # Taken: the course's details name it among the courses to take first.
    Enrolment.objects.create(user=learner, course=core, completed_at=now())
    Enrolment.objects.create(user=learner, course=police)
    page = client.get(welsh_police.url).content.decode()
    assert f'<a href="{welsh_core.url}">Adnabod plant sydd wedi' in page
    assert core.url not in page
