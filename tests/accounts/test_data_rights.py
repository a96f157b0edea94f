"""A learner's data rights: download everything held about them, or erase their account."""

import json
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, User
from audit.models import Action, AuditEvent
from certificates.models import Certificate
from cohorts.models import Cohort, CohortMember, EmailInvitation
from courses.models import Enrolment, LessonCompletion
from learning.attempts import start_attempt, submit_attempt
from learning.models import TimeAdjustment
from learning.progress import update_completion
from quizzes.models import Attempt
from quizzes.statistics import assessment_statistics
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    UserFactory,
    make_assessment,
    make_course,
    make_question,
)
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course("Recognising trafficked children", lessons=1)


@pytest.fixture
def questions():
    return [
        make_question(
            "Can a child consent to being exploited?",
            options=[("Yes", False), ("No, never", True), ("Only if over 16", False)],
        ),
        make_question(
            "Who should you tell first?",
            options=[("Your safeguarding lead", True), ("Nobody", False)],
        ),
    ]


@pytest.fixture
def assessment(course, questions):
    return make_assessment(course, questions, pass_mark=50, feedback="after_submission")


def answer(question, text):
    return [question.options.get(text=text).pk]


def take_course(user, course, assessment, questions, capture, consent="No, never"):
    """Complete the lesson and pass the assessment, as the learner would; returns the
    certificate issued."""
    enrolment = Enrolment.objects.create(user=user, course=course)
    with capture(execute=True):
        for lesson in course.lessons():
            LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson)
        attempt = start_attempt(user, assessment)
        consent_question, tell_question = questions
        submit_attempt(
            attempt.pk,
            user,
            answers={
                str(consent_question.pk): answer(consent_question, consent),
                str(tell_question.pk): answer(tell_question, "Your safeguarding lead"),
            },
        )
        enrolment.refresh_from_db()
        update_completion(enrolment)
    return user.certificates.first()


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Northern Constabulary")


@pytest.fixture
def learner_a(organisation, course, assessment, questions, django_capture_on_commit_callbacks):
    user = UserFactory(
        role="Learner",
        organisation=organisation,
        email="alex.a@example.org",
        display_name="Alex Adebayo",
    )
    cohort = Cohort.objects.create(organisation=organisation, name="Response officers")
    CohortMember.objects.create(cohort=cohort, user=user)
    take_course(user, course, assessment, questions, django_capture_on_commit_callbacks)
    return user


@pytest.fixture
def learner_b(organisation, course, assessment, questions, django_capture_on_commit_callbacks):
    user = UserFactory(
        role="Learner",
        organisation=organisation,
        email="bea.b@example.org",
        display_name="Bea Bowen",
    )
    take_course(
        user,
        course,
        assessment,
        questions,
        django_capture_on_commit_callbacks,
        consent="Only if over 16",
    )
    return user


def signed_in(user):
    client = Client()
    sign_in(client, user.email)
    return client


# Download my data ----------------------------------------------------------------------


def test_download_contains_my_attempts_with_answers_and_none_of_anyone_elses(learner_a, learner_b):
    client = signed_in(learner_a)
    response = client.post(reverse("privacy:download_data"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="recognise-my-data-')
    data = json.loads(response.content)

    assert data["profile"]["email"] == "alex.a@example.org"
    assert data["profile"]["display_name"] == "Alex Adebayo"
    assert data["profile"]["roles"] == ["Learner"]
    assert [o["organisation"] for o in data["organisations"]] == ["Northern Constabulary"]
    assert [c["cohort"] for c in data["cohorts"]["member_of"]] == ["Response officers"]
    [enrolment] = data["enrolments"]
    assert enrolment["course"] == "Recognising trafficked children"
    assert enrolment["completed"] and len(enrolment["lessons_completed"]) == 1

    [attempt] = data["quiz_attempts"]
    assert attempt["course"] == "Recognising trafficked children"
    assert attempt["passed"] is True and attempt["percent"] == 100
    answers = {item["question"]: item for item in attempt["answers"]}
    consent = answers["Can a child consent to being exploited?"]
    assert consent["your_answer"] == ["No, never"]
    assert consent["fully_correct"] is True

    [certificate] = data["certificates"]
    code = learner_a.certificates.get().formatted_code
    assert certificate["verification_code"] == code
    assert certificate["verification_url"] == f"http://testserver/en/verify/{code}/"
    assert certificate["status"] == "valid"
    assert any(entry["action"] == Action.SIGN_IN for entry in data["security_log"])

    text = response.content.decode()
    assert "bea.b@example.org" not in text
    assert "Bea Bowen" not in text
    assert "Only if over 16" not in text  # learner B's answer
    assert learner_b.certificates.get().formatted_code not in text


def test_marks_per_question_follow_the_assessments_review_rules(learner_a, assessment):
    # Keys once passed or when no attempts are left: a failed attempt with attempts to
    # come does not say which answers were right.
    assessment.feedback = "once_passed"
    assessment.save()
    Attempt.objects.filter(user=learner_a).update(passed=False)
    data = signed_in(learner_a).post(reverse("privacy:download_data")).json()
    [attempt] = data["quiz_attempts"]
    assert attempt["percent"] == 100
    assert all("fully_correct" not in item for item in attempt["answers"])
    assert all(item["your_answer"] for item in attempt["answers"])

    assessment.max_attempts = 1
    assessment.save()
    data = signed_in(learner_a).post(reverse("privacy:download_data")).json()
    [attempt] = data["quiz_attempts"]
    assert all(item["fully_correct"] for item in attempt["answers"])


def test_downloading_is_logged(learner_a):
    client = signed_in(learner_a)
    client.post(reverse("privacy:download_data"))
    [event] = AuditEvent.objects.filter(action=Action.DATA_EXPORTED)
    assert event.actor == learner_a
    assert event.ip_address == "127.0.0.1"


def test_download_contains_my_time_adjustments_and_none_of_anyone_elses(
    learner_a, learner_b, assessment
):
    trainer = UserFactory(role="Trainer", display_name="Tess Trainer")
    TimeAdjustment.objects.create(
        learner=learner_a, extra_percent=50, note="Reads with a screen reader.", set_by=trainer
    )
    TimeAdjustment.objects.create(learner=learner_a, assessment=assessment, kind="no_limit")
    TimeAdjustment.objects.create(learner=learner_b, extra_percent=25, note="Bea's own note.")

    response = signed_in(learner_a).post(reverse("privacy:download_data"))
    every, this_one = response.json()["time_adjustments"]

    assert every["all_assessments"] and every["extra_time_percent"] == 50
    assert every["note"] == "Reads with a screen reader." and every["set_by"] == "Tess Trainer"
    assert this_one["assessment"] == "Recognising trafficked children – Final assessment"
    assert this_one["no_time_limit"] and this_one["extra_time_percent"] is None
    assert "Bea's own note." not in response.content.decode()


def test_the_profile_offers_download_and_deletion(learner_a):
    page = signed_in(learner_a).get(reverse("accounts:profile")).content.decode()
    assert f'action="{reverse("privacy:download_data")}"' in page
    assert "Download my data" in page
    assert f'href="{reverse("privacy:delete_account")}"' in page
    assert f'href="{reverse("privacy")}"' in page


def test_download_is_a_button_not_a_link(learner_a):
    assert signed_in(learner_a).get(reverse("privacy:download_data")).status_code == 405


@pytest.mark.parametrize("name", ["download_data", "delete_account"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.post(reverse(f"privacy:{name}"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    response = client.get(reverse("privacy:delete_account"))
    assert response.url.startswith(reverse("account_login"))


# Delete my account ------------------------------------------------------------------------


def delete(client, password=PASSWORD):
    return client.post(reverse("privacy:delete_account"), {"password": password})


def test_the_confirmation_page_explains_what_happens_and_asks_for_the_password(learner_a):
    page = signed_in(learner_a).get(reverse("privacy:delete_account")).content.decode()
    assert "cannot be undone" in page
    assert "your certificate is revoked" in page
    assert 'type="password"' in page and 'autocomplete="current-password"' in page
    assert '<label for="id_password">' in page


def test_a_wrong_password_changes_nothing(learner_a):
    client = signed_in(learner_a)
    response = delete(client, "not-my-password")
    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    learner_a.refresh_from_db()
    assert learner_a.is_active and learner_a.email == "alex.a@example.org"
    assert not learner_a.certificates.get().is_revoked
    assert not AuditEvent.objects.filter(action=Action.ACCOUNT_DELETED).exists()


def test_repeated_wrong_passwords_are_refused_for_a_while(learner_a):
    client = signed_in(learner_a)
    for _ in range(5):
        delete(client, "guess-after-guess")
    response = delete(client)
    assert "Too many wrong passwords" in response.content.decode()
    learner_a.refresh_from_db()
    assert learner_a.is_active


def test_deleting_signs_out_erases_the_person_and_says_so(
    learner_a, django_capture_on_commit_callbacks
):
    client = signed_in(learner_a)
    other_device = signed_in(learner_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = delete(client)

    assert response.status_code == 302
    assert response.url == reverse("privacy:account_deleted")
    confirmation = client.get(response.url).content.decode()
    assert "Your account has been deleted" in confirmation
    # Signed out here and everywhere else.
    for device in (client, other_device):
        profile = device.get(reverse("accounts:profile"))
        assert profile.status_code == 302 and profile.url.startswith(reverse("account_login"))
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(learner_a.pk) for s in Session.objects.all()
    )

    placeholder = User.objects.get(pk=learner_a.pk)
    assert placeholder.email.endswith("@deleted.invalid")
    assert "Alex" not in placeholder.display_name
    assert not placeholder.is_active and not placeholder.has_usable_password()
    assert not placeholder.groups.exists()
    assert not Membership.objects.filter(user=placeholder).exists()
    assert not CohortMember.objects.filter(user=placeholder).exists()
    assert not EmailAddress.objects.filter(email__iexact="alex.a@example.org").exists()
    # Nothing that names the person remains outside the security log's past entries.
    assert not User.objects.filter(email__iexact="alex.a@example.org").exists()
    assert not User.objects.filter(display_name__icontains="Alex").exists()
    assert not Certificate.objects.filter(holder_name__icontains="Alex").exists()

    # The old details no longer sign anyone in, and the address can sign up afresh.
    again = Client()
    sign_in(again, "alex.a@example.org")
    assert again.get(reverse("accounts:profile")).status_code == 302
    response = again.post(
        reverse("account_signup"),
        {
            "email": "alex.a@example.org",
            "password1": "a-brand-new-passphrase",
            "password2": "a-brand-new-passphrase",
            "display_name": "Alex Adebayo",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="alex.a@example.org").exclude(pk=learner_a.pk).exists()


def test_deleting_removes_my_time_adjustments(learner_a, learner_b):
    TimeAdjustment.objects.create(learner=learner_a, extra_percent=50, note="Dyslexia.")
    TimeAdjustment.objects.create(learner=learner_b, extra_percent=25)

    delete(signed_in(learner_a))

    assert list(TimeAdjustment.objects.values_list("learner", flat=True)) == [learner_b.pk]


def test_deleting_revokes_certificates_and_the_public_check_names_nobody(learner_a):
    certificate = learner_a.certificates.get()
    verify_url = certificate.get_verification_url()
    assert "Alex Adebayo" in Client().get(verify_url).content.decode()

    delete(signed_in(learner_a))

    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert certificate.holder_name == ""
    assert not certificate.pdf
    page = Client().get(verify_url).content.decode()
    assert "Revoked" in page
    assert "Alex" not in page and "Adebayo" not in page
    assert "<dt>Name</dt>" not in page


def test_statistics_keep_their_counts_after_deletion(learner_a, learner_b, assessment):
    before = assessment_statistics(assessment)
    attempts_before = Attempt.objects.filter(assessment=assessment).count()

    delete(signed_in(learner_a))

    after = assessment_statistics(assessment)
    assert Attempt.objects.filter(assessment=assessment).count() == attempts_before == 2
    assert after["attempts"] == before["attempts"] == 2
    assert after["learners"] == before["learners"] == 2
    assert after["pass_rate"] == before["pass_rate"]
    assert [(q["answers"], q["correct"]) for q in after["questions"]] == [
        (q["answers"], q["correct"]) for q in before["questions"]
    ]
    assert [[o["times"] for o in q["options"]] for q in after["questions"]] == [
        [o["times"] for o in q["options"]] for q in before["questions"]
    ]


def test_deletion_is_logged_without_the_persons_details(learner_a):
    certificate = learner_a.certificates.get()
    delete(signed_in(learner_a))

    [event] = AuditEvent.objects.filter(action=Action.ACCOUNT_DELETED)
    reference = event.data["reference"]
    assert event.actor is None
    assert event.actor_label == f"Deleted account {reference}"
    assert event.ip_address is None
    assert event.data["certificates_revoked"] == 1
    assert User.objects.get(pk=learner_a.pk).email == f"deleted-{reference}@deleted.invalid"
    [revocation] = AuditEvent.objects.filter(
        action=Action.CERTIFICATE_REVOKED, data__certificate_id=str(certificate.pk)
    )
    assert revocation.actor_label == event.actor_label
    # Events written during the erasure name nobody.
    erasure = AuditEvent.objects.filter(timestamp__gte=revocation.timestamp)
    for entry in erasure:
        text = json.dumps([entry.actor_label, entry.message, entry.data])
        assert "alex.a@example.org" not in text and "Alex" not in text


def test_a_failure_half_way_leaves_everything_as_it_was(learner_a, assessment):
    client = signed_in(learner_a)
    certificate = learner_a.certificates.get()
    statistics = assessment_statistics(assessment)
    invitation = EmailInvitation.objects.create(
        cohort=Cohort.objects.get(), email="alex.a@example.org"
    )

    with (
        mock.patch(
            "recognise.privacy.personal_data.anonymise",
            side_effect=RuntimeError("disk full"),
        ),
        pytest.raises(RuntimeError),
    ):
        delete(client)

    learner_a.refresh_from_db()
    assert learner_a.email == "alex.a@example.org" and learner_a.display_name == "Alex Adebayo"
    assert learner_a.is_active and learner_a.check_password(PASSWORD)
    assert list(learner_a.groups.values_list("name", flat=True)) == ["Learner"]
    assert Membership.objects.filter(user=learner_a).exists()
    assert CohortMember.objects.filter(user=learner_a).exists()
    assert EmailInvitation.objects.filter(pk=invitation.pk).exists()
    assert EmailAddress.objects.filter(user=learner_a).exists()
    certificate.refresh_from_db()
    assert not certificate.is_revoked and certificate.holder_name == "Alex Adebayo"
    assert certificate.pdf
    assert not AuditEvent.objects.filter(
        action__in=[Action.ACCOUNT_DELETED, Action.CERTIFICATE_REVOKED]
    ).exists()
    assert assessment_statistics(assessment)["attempts"] == statistics["attempts"]
    # Still signed in: nothing happened.
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_administrators_cannot_delete_their_own_account_here():
    admin = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    sign_in_with_totp(client, admin, enrol_totp(admin))
    assert client.get(reverse("privacy:delete_account")).status_code == 403
    assert delete(client).status_code == 403
    admin.refresh_from_db()
    assert admin.is_active


def test_a_trainer_no_longer_sees_a_deleted_learner(learner_a, organisation):
    trainer = UserFactory(role="Trainer", organisation=organisation)
    client = Client()
    sign_in_with_totp(client, trainer, enrol_totp(trainer))
    assert client.get(reverse("cohorts:learner", args=[learner_a.pk])).status_code == 200

    delete(signed_in(learner_a))

    assert client.get(reverse("cohorts:learner", args=[learner_a.pk])).status_code == 404


# Privacy notice ----------------------------------------------------------------------------


def test_the_privacy_notice_is_public_and_linked_from_every_page(client):
    home = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("privacy")}"' in home
    page = client.get(reverse("privacy"))
    assert page.status_code == 200
    text = page.content.decode()
    for words in (
        "IP address",
        "UK GDPR",
        "Data Protection Act 2018",
        "365 days",
        "Trainers in your organisation",
        "Download my data",
        "delete your account",
    ):
        assert words in text, words


def test_the_privacy_notice_names_the_contact_when_configured(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = "privacy@recognise.example.org"
    text = client.get(reverse("privacy")).content.decode()
    assert 'href="mailto:privacy@recognise.example.org"' in text
