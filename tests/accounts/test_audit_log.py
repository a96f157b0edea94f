"""The audit log: who did what, when and from where, readable by superusers only."""

import datetime
import importlib
import io
import logging

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.models import Membership
from audit.models import Action, AuditEvent
from audit.records import clean
from cohorts.assigning import assign
from cohorts.invitations import accept_email_invitations, import_addresses
from cohorts.models import Cohort, InvitationLink
from courses.models import Enrolment, LessonCompletion
from learning.progress import update_completion
from tests.factories import OrganisationFactory, UserFactory, make_course
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp, totp_code

pytestmark = pytest.mark.django_db

FORGED = "evil@example.org\nauth.sign_in by admin@example.org from 10.0.0.1: Signed in"


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("timestamp", "pk"))


def signed_in_client(user):
    client = Client()
    sign_in_with_totp(client, user, enrol_totp(user))
    return client


@pytest.fixture
def superuser_client():
    return signed_in_client(UserFactory(is_superuser=True, is_staff=True, display_name="Ada Admin"))


# Signing in ----------------------------------------------------------------------


def test_a_sign_in_is_logged_with_who_when_and_the_address(client, learner):
    before = timezone.now()
    sign_in(client, learner.email)
    [event] = events(Action.SIGN_IN)
    assert event.actor == learner
    assert learner.email in event.actor_label
    assert event.ip_address == "127.0.0.1"
    assert event.timestamp >= before
    assert event.timestamp.tzinfo is not None  # stored in UTC


def test_a_failed_sign_in_is_logged_once_with_what_was_typed_and_the_address(client, learner):
    response = sign_in(client, learner.email, "not-the-right-password")
    assert response.status_code == 200
    [event] = events(Action.SIGN_IN_FAILED)
    assert event.actor is None
    assert event.actor_label == learner.email
    assert learner.email in event.message
    assert event.ip_address == "127.0.0.1"
    assert "not-the-right-password" not in str(event.data) + event.message


def test_a_failed_sign_in_cannot_forge_a_log_line(caplog):
    request = RequestFactory().post("/en/accounts/login/", REMOTE_ADDR="203.0.113.9")
    caplog.set_level(logging.INFO, logger="audit")

    assert authenticate(request, email=FORGED, password="whatever-it-is") is None

    [event] = events(Action.SIGN_IN_FAILED)
    for text in (event.actor_label, event.message):
        assert "\n" not in text and "\r" not in text
        assert "evil@example.org\\nauth.sign_in" in text  # escaped, so still readable
    assert event.ip_address == "203.0.113.9"
    [line] = [r.getMessage() for r in caplog.records if r.name == "audit"]
    assert "\n" not in line
    assert "evil@example.org\\nauth.sign_in" in line


def test_names_with_control_characters_are_escaped_in_events_and_in_python_logging(caplog):
    caplog.set_level(logging.INFO, logger="audit")
    user = UserFactory(display_name="Mallory\r\nauth.role_added \u202eevil")
    Membership.objects.create(user=user, organisation=OrganisationFactory(name="Force\x1b[31m"))

    [event] = events(Action.MEMBERSHIP_ADDED)
    assert not any(ch in event.message for ch in "\r\n\u202e\x1b")
    assert "Mallory\\r\\nauth.role_added \\u202eevil" in event.message
    assert "Force\\x1b[31m" in event.message
    lines = [r.getMessage() for r in caplog.records if r.name == "audit"]
    assert lines and not any(ch in line for line in lines for ch in "\r\n\u202e\x1b")


def test_clean_escapes_every_invisible_character_and_keeps_the_rest():
    assert clean("Siân Llewelyn-Ŵyn") == "Siân Llewelyn-Ŵyn"
    assert clean("a\tb\\c\u2028d\x00") == "a\\tb\\\\c\\u2028d\\x00"
    assert clean("x" * 20, max_length=10) == "x" * 9 + "…"


def test_the_address_honours_the_trusted_proxy_setting(client, learner, settings):
    spoofed = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    sign_in(client, learner.email, "wrong-password-here")
    client.post(
        reverse("account_login"), {"login": learner.email, "password": "wrong-again"}, **spoofed
    )
    # Without a trusted proxy, the forwarded header is whatever the client said: ignored.
    assert [e.ip_address for e in events(Action.SIGN_IN_FAILED)] == ["127.0.0.1", "127.0.0.1"]

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client.post(
        reverse("account_login"), {"login": learner.email, "password": "wrong-third"}, **spoofed
    )
    assert events(Action.SIGN_IN_FAILED)[-1].ip_address == "198.51.100.7"


def test_a_rejected_two_factor_code_is_logged(client):
    trainer = UserFactory(role="Trainer")
    enrol_totp(trainer)
    sign_in(client, trainer.email)
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    [event] = events(Action.MFA_FAILED)
    assert event.actor == trainer
    assert event.ip_address == "127.0.0.1"


def test_signing_up_and_changing_a_password_are_logged(client, learner):
    client.post(
        reverse("account_signup"),
        {
            "email": "new.learner@example.org",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "display_name": "Nell Newcomer",
        },
    )
    [signed_up] = events(Action.SIGNED_UP)
    assert signed_up.actor.email == "new.learner@example.org"
    assert signed_up.ip_address == "127.0.0.1"

    other = Client()
    sign_in(other, learner.email)
    other.post(
        reverse("account_change_password"),
        {
            "oldpassword": "correct-horse-battery-staple",
            "password1": "another-long-passphrase",
            "password2": "another-long-passphrase",
        },
    )
    [changed] = events(Action.PASSWORD_CHANGED)
    assert changed.actor == learner


# Two-factor changes, roles and organisations -------------------------------------------


def test_adding_and_removing_an_authenticator_is_logged(
    client, learner, django_capture_on_commit_callbacks
):
    sign_in(client, learner.email)
    response = client.get(reverse("mfa_activate_totp"))
    client.post(response.url, {"password": "correct-horse-battery-staple"})
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    # allauth announces MFA changes once its transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert Authenticator.objects.filter(user=learner, type="totp").exists()
    added = events(Action.MFA_ADDED)
    assert [event.message for event in added] == [
        "Added authenticator app",
        "Added recovery codes",
    ]
    assert {event.actor for event in added} == {learner}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=learner, type="totp").exists()
    removed = events(Action.MFA_REMOVED)
    assert "Removed authenticator app" in [event.message for event in removed]
    assert {event.actor for event in removed} == {learner}


def test_role_changes_are_logged_with_who_made_them(superuser_client):
    learner = UserFactory(role="Learner", display_name="Lee Learner")
    admin = AuditEvent.objects.get(action=Action.SIGN_IN).actor
    trainer_group = Group.objects.get(name="Trainer")
    learner_group = Group.objects.get(name="Learner")
    AuditEvent.objects.all().delete()

    response = superuser_client.post(
        reverse("wagtailusers_users:edit", args=[learner.pk]),
        {
            "email": learner.email,
            "display_name": learner.display_name,
            "first_name": "",
            "last_name": "",
            "is_active": "on",
            "groups": [trainer_group.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [given] = events(Action.ROLE_ADDED)
    [taken] = events(Action.ROLE_REMOVED)
    assert given.actor == admin and "Lee Learner" in given.message and "Trainer" in given.message
    assert taken.actor == admin and "Learner" in taken.message
    assert given.ip_address == "127.0.0.1"
    assert learner_group not in learner.groups.all()


def test_making_someone_an_administrator_is_logged():
    user = UserFactory(display_name="Sam Staff")
    user.is_superuser = True
    user.save()
    user.is_superuser = False
    user.save(update_fields=["is_superuser"])
    [given] = events(Action.ROLE_ADDED)
    [taken] = events(Action.ROLE_REMOVED)
    assert "Sam Staff" in given.message and "Administrator" in given.message
    assert "Administrator" in taken.message


def test_membership_changes_are_logged():
    organisation = OrganisationFactory(name="Northern Force")
    user = UserFactory(display_name="Pat Officer")
    membership = Membership.objects.create(user=user, organisation=organisation)
    membership.save()
    membership.delete()
    assert "Pat Officer" in events(Action.MEMBERSHIP_ADDED)[0].message
    assert "Northern Force" in events(Action.MEMBERSHIP_CHANGED)[0].message
    [removed] = events(Action.MEMBERSHIP_REMOVED)
    assert removed.actor is None and removed.actor_label == "System"


# Certificates, exports and invitations ------------------------------------------------


def complete(user, course, capture):
    enrolment = Enrolment.objects.create(user=user, course=course)
    with capture(execute=True):
        for lesson in course.lessons():
            LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson)
        update_completion(enrolment)


def test_issuing_a_certificate_is_logged(learner, django_capture_on_commit_callbacks):
    complete(learner, make_course("Core course", lessons=1), django_capture_on_commit_callbacks)
    certificate = learner.certificates.get()
    [event] = events(Action.CERTIFICATE_ISSUED)
    assert certificate.formatted_code in event.message
    assert event.data["certificate_id"] == str(certificate.pk)


@pytest.fixture
def cohort_with_assignment():
    organisation = OrganisationFactory(name="Force X")
    trainer = UserFactory(role="Trainer", organisation=organisation, display_name="Tara Trainer")
    cohort = Cohort.objects.create(organisation=organisation, name="Intake 26A")
    assignment = assign(
        make_course("Core course", lessons=1),
        timezone.localdate() + datetime.timedelta(days=10),
        organisation,
        trainer,
        cohort=cohort,
    )
    return trainer, cohort, assignment


@pytest.mark.parametrize("name", ["export_csv", "export_xlsx", "certificates_zip"])
def test_trainer_exports_are_logged(cohort_with_assignment, name):
    trainer, cohort, assignment = cohort_with_assignment
    client = signed_in_client(trainer)
    url = reverse(f"cohorts:{name}", args=[cohort.pk])
    # The CSV is streamed; the others are asked for with a button (POST), made in the
    # background, then downloaded.
    response = client.get(url) if name == "export_csv" else client.post(url)
    assert response.status_code == (200 if name == "export_csv" else 302)
    [event] = events(Action.COHORT_EXPORTED)
    assert event.actor == trainer
    assert "Intake 26A" in event.message
    assert event.data["format"] == {"export_csv": "csv", "export_xlsx": "xlsx"}.get(name, "zip")
    assert event.ip_address == "127.0.0.1"


def test_invitations_created_sent_and_accepted_are_logged(
    cohort_with_assignment, django_capture_on_commit_callbacks, mailoutbox
):
    trainer, cohort, _assignment = cohort_with_assignment
    with django_capture_on_commit_callbacks(execute=True):
        import_addresses(cohort, ["new.person@example.org"], trainer)
    assert len(mailoutbox) == 1
    [created] = events(Action.INVITATION_CREATED)
    assert "new.person@example.org" in created.message
    [sent] = events(Action.INVITATION_SENT)
    assert "new.person@example.org" in sent.message and sent.actor_label == "System"

    newcomer = UserFactory(email="new.person@example.org", display_name="Nia Newcomer")
    accept_email_invitations(newcomer, newcomer.email)
    [accepted] = events(Action.INVITATION_ACCEPTED)
    assert accepted.actor == newcomer and "Intake 26A" in accepted.message


def test_invitation_links_created_and_used_are_logged(cohort_with_assignment):
    trainer, cohort, _assignment = cohort_with_assignment
    client = signed_in_client(trainer)
    client.post(
        reverse("cohorts:members", args=[cohort.pk]),
        {"action": "link", "link-valid_days": "14", "link-max_uses": "5"},
    )
    [created] = events(Action.INVITATION_CREATED)
    assert created.actor == trainer and "Invitation link" in created.message
    link = InvitationLink.objects.get()

    learner = UserFactory(role="Learner", display_name="Lou Learner")
    other = Client()
    sign_in(other, learner.email)
    other.post(reverse("cohorts:join", args=[link.token]))
    [accepted] = events(Action.INVITATION_ACCEPTED)
    assert accepted.actor == learner and "invitation link" in accepted.message


# Reading the log -------------------------------------------------------------------------

AUDIT_LOG_URL = "/admin/audit_log/"


def test_superusers_read_the_log_and_filter_it_by_action_and_user(superuser_client, client):
    learner = UserFactory(role="Learner", email="lee@example.org", display_name="Lee Learner")
    sign_in(client, learner.email, "wrong-password-for-lee")
    sign_in(client, learner.email)

    page = superuser_client.get(AUDIT_LOG_URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sign-in failed" in text and "lee@example.org" in text and "127.0.0.1" in text

    failures = superuser_client.get(AUDIT_LOG_URL, {"action": Action.SIGN_IN_FAILED})
    rows = list(failures.context["object_list"])
    assert rows and {row.action for row in rows} == {Action.SIGN_IN_FAILED}

    by_user = superuser_client.get(AUDIT_LOG_URL, {"user": "Lee Learner"})
    assert {row.actor for row in by_user.context["object_list"]} == {learner}

    event = AuditEvent.objects.filter(actor=learner).first()
    inspect = superuser_client.get(f"{AUDIT_LOG_URL}inspect/{event.pk}/")
    assert inspect.status_code == 200


def test_the_log_is_read_only_even_for_superusers(superuser_client):
    event = AuditEvent.objects.first()
    assert superuser_client.get(f"{AUDIT_LOG_URL}new/").status_code in (302, 403)
    assert superuser_client.get(f"{AUDIT_LOG_URL}edit/{event.pk}/").status_code in (302, 403)
    response = superuser_client.post(f"{AUDIT_LOG_URL}delete/{event.pk}/")
    assert response.status_code in (302, 403)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("role", ["NGO editor", "Publisher", "Trainer", "Learner"])
def test_nobody_else_can_see_the_log(role):
    user = UserFactory(role=role)
    client = signed_in_client(user) if role != "Learner" else Client()
    if role == "Learner":
        sign_in(client, user.email)
    assert client.get(AUDIT_LOG_URL).status_code == 403
    event = AuditEvent.objects.first()
    assert client.get(f"{AUDIT_LOG_URL}inspect/{event.pk}/").status_code == 403
    if role in ("NGO editor", "Publisher"):
        admin_home = client.get("/admin/").content.decode()
        assert AUDIT_LOG_URL not in admin_home
        assert "Audit log" not in admin_home


def test_superusers_find_the_log_in_the_admin_menu(superuser_client):
    assert AUDIT_LOG_URL in superuser_client.get("/admin/").content.decode()


def test_revocations_from_wagtails_log_move_to_the_audit_log(
    learner, django_capture_on_commit_callbacks
):
    complete(learner, make_course("Core course", lessons=1), django_capture_on_commit_callbacks)
    certificate = learner.certificates.get()
    publisher = UserFactory(role="Publisher", display_name="Pip Publisher")
    when = timezone.now() - datetime.timedelta(days=3)
    # As an earlier release wrote them; the action is no longer registered with Wagtail.
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=ContentType.objects.get_for_model(certificate),
                label=str(certificate),
                action="recognise.certificate.revoke",
                data={"reason": "Issued in error\nto the wrong person"},
                timestamp=when,
                user=publisher,
                object_id=str(certificate.pk),
            )
        ]
    )
    migration = importlib.import_module("audit.migrations.0002_move_certificate_revocations")

    migration.move(apps, None)

    assert not ModelLogEntry.objects.filter(action="recognise.certificate.revoke").exists()
    [event] = events(Action.CERTIFICATE_REVOKED)
    assert event.timestamp == when
    assert event.actor == publisher and event.actor_label.startswith("Pip Publisher")
    assert certificate.formatted_code in event.message
    assert "\n" not in event.message and "Issued in error\\nto" in event.message
    assert event.data == {
        "certificate_id": str(certificate.pk),
        "reason": "Issued in error\\nto the wrong person",
    }


def test_old_events_are_pruned_after_the_retention_period(settings):
    settings.AUDIT_LOG_RETENTION_DAYS = 30
    old = AuditEvent.objects.create(
        action=Action.SIGN_IN,
        actor_label="old",
        message="Signed in",
        timestamp=timezone.now() - datetime.timedelta(days=31),
    )
    recent = AuditEvent.objects.create(action=Action.SIGN_IN, actor_label="new", message="x")
    call_command("prune_audit_log", stdout=io.StringIO())
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()


def test_an_actors_label_outlives_their_account(client):
    user = UserFactory(display_name="Gone Soon")
    sign_in(client, user.email)
    [event] = events(Action.SIGN_IN)
    user.delete()
    event.refresh_from_db()
    assert event.actor is None
    assert event.actor_label == f"Gone Soon <{user.email}>"
