"""A learner launched from the platform: signed in by (issuer, subject), made a member of
the registration's organisation, enrolled in the course the link points to, and their
result sent to the platform's gradebook once they complete it."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from lti_tool.models import LtiUser

from accounts.models import Membership, User
from accounts.roles import roles_for
from audit.models import Action, AuditEvent
from certificates.models import Certificate
from courses.models import Enrolment
from learning.attempts import start_attempt, submit_attempt
from lti.models import GradeDelivery
from lti.tasks import MAX_TRIES, send_due
from tests.factories import PASSWORD, UserFactory, make_assessment, make_course, make_question
from tests.signing_in import enrol_totp, sign_in

from .conftest import launch
from .platform import ADMINISTRATOR, CLAIM, INSTRUCTOR, SCORE_SCOPE, new_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course("Recognising trafficked children", sectors=("education",), lessons=2)


def for_course(course, **claims):
    return {CLAIM + "custom": {"course": str(course.pk)}, **claims}


def complete(client, course, capture):
    for lesson in course.lessons():
        with capture(execute=True):
            response = client.post(
                reverse("learning:complete_lesson", args=[lesson.pk]), follow=True
            )
        assert response.status_code == 200


def test_a_launched_learner_completes_the_course_and_the_score_reaches_the_gradebook(
    client, platform, registered, organisation, course, django_capture_on_commit_callbacks
):
    response = launch(client, platform, registered, **for_course(course))

    assert response.status_code == 302
    assert response["Location"] == course.url
    lti_user = LtiUser.objects.get(registration=registered.registration, sub="moodle-user-7")
    learner = lti_user.auth_user
    assert learner.email == "sam@school.example"
    assert learner.display_name == "Sam Platform"
    assert not learner.has_usable_password()
    assert roles_for(learner).names == {"Learner"}
    assert Membership.objects.filter(user=learner, organisation=organisation).exists()
    assert Enrolment.objects.filter(user=learner, course=course).exists()
    assert client.get(course.url).wsgi_request.user == learner
    assert AuditEvent.objects.filter(action=Action.LTI_SIGNED_IN, actor=learner).exists()

    complete(client, course, django_capture_on_commit_callbacks)

    assert Certificate.objects.filter(user=learner).exists()
    [delivery] = GradeDelivery.objects.all()
    assert delivery.status == GradeDelivery.Status.SENT
    [received] = platform.scores
    assert received["path"] == "/courses/course-101/lineitems/1/scores"
    score = received["score"]
    assert score["userId"] == "moodle-user-7"
    assert score["scoreGiven"] == 100.0
    assert score["scoreMaximum"] == 100.0
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    # The token it was sent with was issued for the score scope and no other.
    assert list(platform.tokens.values()) == [{SCORE_SCOPE}]


def test_the_next_launch_signs_the_same_person_in_without_a_second_account(
    client, platform, registered, course
):
    launch(client, platform, registered, **for_course(course))
    client.logout()
    # The platform changed the person's address: the subject is what links them.
    response = launch(client, platform, registered, email="sam.new@school.example")

    assert response.status_code == 302
    assert User.objects.filter(lti_users__sub="moodle-user-7").count() == 1
    assert User.objects.count() == 1


def test_a_score_waits_while_the_platform_is_down_and_arrives_later(
    client, platform, registered, course, django_capture_on_commit_callbacks
):
    launch(client, platform, registered, **for_course(course))
    platform.down = True

    complete(client, course, django_capture_on_commit_callbacks)

    delivery = GradeDelivery.objects.get()
    assert delivery.status == GradeDelivery.Status.PENDING
    assert delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now() + datetime.timedelta(minutes=4)
    assert platform.scores == []

    platform.down = False
    assert send_due() == 0  # not due yet
    GradeDelivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    assert send_due() == 1

    delivery.refresh_from_db()
    assert delivery.status == GradeDelivery.Status.SENT
    assert len(platform.scores) == 1


def test_a_score_is_given_up_only_after_every_try(
    client, platform, registered, course, django_capture_on_commit_callbacks
):
    launch(client, platform, registered, **for_course(course))
    platform.down = True
    complete(client, course, django_capture_on_commit_callbacks)
    for _try in range(MAX_TRIES - 1):
        GradeDelivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
        send_due()
    delivery = GradeDelivery.objects.get()
    assert delivery.status == GradeDelivery.Status.FAILED
    assert delivery.attempts == MAX_TRIES
    call_command("send_lti_scores")
    assert platform.scores == []

    # The platform is back; the operators send what was given up.
    platform.down = False
    call_command("send_lti_scores", retry_given_up=True)
    delivery.refresh_from_db()
    assert delivery.status == GradeDelivery.Status.SENT
    assert len(platform.scores) == 1


def test_an_email_that_belongs_to_an_account_never_signs_into_it(
    client, platform, registered, course
):
    owner = UserFactory(email="sam@school.example", role="Learner")

    response = launch(client, platform, registered, **for_course(course))

    assert response.status_code == 200
    assert "A Recognise account already uses the address" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert not client.get(reverse("learning:my_learning")).wsgi_request.user.is_authenticated
    assert LtiUser.objects.get(sub="moodle-user-7").auth_user is None
    assert not Enrolment.objects.filter(user=owner).exists()
    assert User.objects.count() == 1


def test_the_owner_links_their_account_by_signing_in_with_its_password(
    client, platform, registered, organisation, course
):
    owner = UserFactory(email="sam@school.example", role="Learner")
    launch(client, platform, registered, **for_course(course))

    assert sign_in(client, owner.email, PASSWORD).status_code == 302
    assert client.get(reverse("lti_pages:link")).status_code == 200
    response = client.post(reverse("lti_pages:link"))

    assert response.status_code == 302
    assert response["Location"] == course.url
    assert LtiUser.objects.get(sub="moodle-user-7").auth_user == owner
    assert Enrolment.objects.filter(user=owner, course=course).exists()
    assert Membership.objects.filter(user=owner, organisation=organisation).exists()
    assert AuditEvent.objects.filter(action=Action.LTI_ACCOUNT_LINKED, actor=owner).exists()

    client.logout()
    assert launch(client, platform, registered).status_code == 302
    assert client.get(course.url).wsgi_request.user == owner


def test_staff_roles_in_a_launch_give_nothing_and_are_no_second_factor(
    client, platform, registered, course
):
    response = launch(
        client,
        platform,
        registered,
        **for_course(course, **{CLAIM + "roles": [INSTRUCTOR, ADMINISTRATOR]}),
    )

    assert response.status_code == 302
    learner = LtiUser.objects.get(sub="moodle-user-7").auth_user
    assert roles_for(learner).names == {"Learner"}
    assert not learner.is_staff and not learner.is_superuser
    assert client.get("/trainer/").status_code in (302, 403, 404)
    assert client.get("/en/trainer/").status_code == 403
    assert client.get("/admin/").status_code in (302, 403)


def test_a_staff_account_linked_to_a_platform_still_needs_its_second_factor(
    client, platform, registered, course
):
    trainer = UserFactory(email="sam@school.example", role="Trainer")
    enrol_totp(trainer)
    LtiUser.objects.create(
        registration=registered.registration, sub="moodle-user-7", auth_user=trainer
    )

    assert launch(client, platform, registered, **for_course(course)).status_code == 302
    response = client.get("/en/trainer/")

    assert response.wsgi_request.user == trainer
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/2fa/")


def test_the_session_of_someone_else_is_ended_by_a_launch(client, platform, registered, course):
    other = UserFactory(role="Learner")
    client.force_login(other)

    launch(client, platform, registered, **for_course(course))

    assert client.get(course.url).wsgi_request.user.email == "sam@school.example"


def test_an_id_token_signed_with_another_key_is_refused(client, platform, registered, course):
    stray = new_key()
    response = launch(
        client,
        platform,
        registered,
        token=lambda nonce: platform.id_token(nonce, key=stray, **for_course(course)),
    )
    assert response.status_code == 400
    assert "signature could not be checked" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.LTI_LAUNCH_REFUSED).exists()
    assert not User.objects.exists()


def test_a_marked_assessment_sends_its_percentage_as_submitted(
    client, platform, registered, django_capture_on_commit_callbacks
):
    course = make_course("Assessed course", sectors=("education",), lessons=1)
    question = make_question()
    final = make_assessment(course, [question], pass_mark=50)
    launch(client, platform, registered, **for_course(course))
    learner = LtiUser.objects.get(sub="moodle-user-7").auth_user
    attempt = start_attempt(learner, final)
    right = question.options.get(is_correct=True).pk

    with django_capture_on_commit_callbacks(execute=True):
        submit_attempt(attempt.pk, learner, answers={str(question.pk): [right]})

    scores = [received["score"] for received in platform.scores]
    assert scores[0]["activityProgress"] == "Submitted"
    assert scores[0]["gradingProgress"] == "FullyGraded"
    assert scores[0]["scoreGiven"] == 100.0


def test_only_the_account_the_launch_named_can_be_linked(client, platform, registered, course):
    UserFactory(email="sam@school.example", role="Learner")
    someone_else = UserFactory(email="someone@else.example", role="Learner")
    launch(client, platform, registered, **for_course(course))

    assert sign_in(client, someone_else.email, PASSWORD).status_code == 302
    response = client.post(reverse("lti_pages:link"))

    assert response.status_code == 403
    assert LtiUser.objects.get(sub="moodle-user-7").auth_user is None
    assert not Enrolment.objects.filter(user=someone_else).exists()
