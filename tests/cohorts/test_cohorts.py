import datetime
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from certificates.issuing import issue_certificate_for
from cohorts import invitations as invitations_module
from cohorts.address_files import numbered_addresses
from cohorts.assigning import add_member, assign, assignments_for_learner
from cohorts.invitations import import_addresses
from cohorts.models import Assignment, Cohort, EmailInvitation, InvitationLink
from courses.models import Enrolment
from tests.factories import UserFactory, make_course
from tests.signing_in import links_in, sign_in

pytestmark = pytest.mark.django_db


def test_trainer_creates_a_cohort(force_x):
    response = force_x.client.post(
        reverse("cohorts:overview"),
        {"organisation": force_x.organisation.pk, "name": "Response officers, January intake"},
    )
    assert response.status_code == 302
    assert Cohort.objects.get().organisation == force_x.organisation


def test_duplicate_or_blank_cohort_names_are_field_errors(force_x):
    force_x.cohort("Intake")
    for name in ("intake", "   "):
        response = force_x.client.post(
            reverse("cohorts:overview"), {"organisation": force_x.organisation.pk, "name": name}
        )
        assert response.status_code == 200
        assert "name" in response.context["form"].errors
    assert Cohort.objects.count() == 1


def test_trainer_cannot_create_a_cohort_in_another_organisation(force_x, force_y):
    response = force_x.client.post(
        reverse("cohorts:overview"), {"organisation": force_y.organisation.pk, "name": "Sneaky"}
    )
    assert response.status_code == 200
    assert not Cohort.objects.exists()


def test_csv_import_reports_each_row(force_x, django_capture_on_commit_callbacks):
    cohort = force_x.cohort()
    existing = UserFactory(email="existing@example.org", role="Learner")
    already = UserFactory(email="already@example.org", role="Learner")

    add_member(cohort, already)
    mail.outbox.clear()
    content = (
        "email\nexisting@example.org\nnew.officer@example.org\nalready@example.org\n"
        "not-an-address\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = force_x.client.post(
            reverse("cohorts:members", args=[cohort.pk]),
            {
                "action": "csv",
                "csv-file": SimpleUploadedFile("people.csv", content.encode(), "text/csv"),
            },
            follow=True,
        )
    assert response.status_code == 200
    outcomes = [(r.email, r.outcome) for r in response.context["results"]]
    assert outcomes == [
        ("existing@example.org", "added"),
        ("new.officer@example.org", "invited"),
        ("already@example.org", "already_member"),
        ("not-an-address", "invalid"),
    ]
    assert cohort.members.filter(pk=existing.pk).exists()
    assert EmailInvitation.objects.filter(email="new.officer@example.org").exists()
    (invitation,) = [m for m in mail.outbox if m.to == ["new.officer@example.org"]]
    assert force_x.organisation.name in invitation.subject


def test_a_learner_of_another_organisation_is_not_added_by_address(
    force_x, force_y, assigned_cohort, django_capture_on_commit_callbacks
):
    """Adding would show their record to this force's trainers; they join by link."""
    cohort = assigned_cohort
    theirs = UserFactory(
        email="y.officer@example.org", role="Learner", organisation=force_y.organisation
    )
    both = UserFactory(email="both@example.org", role="Learner", organisation=force_y.organisation)
    Membership.objects.create(user=both, organisation=force_x.organisation)
    mail.outbox.clear()
    addresses = "Y.Officer@example.org\nboth@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = force_x.client.post(
            reverse("cohorts:members", args=[cohort.pk]),
            {"action": "addresses", "addresses-addresses": addresses},
            follow=True,
        )
    assert [(r.email, r.outcome) for r in response.context["results"]] == [
        ("y.officer@example.org", "other_organisation"),
        ("both@example.org", "added"),
    ]
    assert "Belongs to another organisation" in response.content.decode()
    assert cohort.members.filter(pk=both.pk).exists()
    assert not cohort.members.filter(pk=theirs.pk).exists()
    assert not theirs.organisations.filter(pk=force_x.organisation.pk).exists()
    assert not theirs.enrolments.exists()
    # Nothing reaches them; the learner added is told of the cohort's course.
    assert [message.to for message in mail.outbox] == [["both@example.org"]]
    learner_page = force_x.client.get(reverse("cohorts:learner", args=[theirs.pk]))
    assert learner_page.status_code == 404


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n\x00\x00binary", b'email\n"unterminated,quote\n', b"\xff\xfe\x00bad", b""],
)
def test_a_file_that_is_not_valid_csv_imports_nothing(force_x, content):
    cohort = force_x.cohort()
    response = force_x.client.post(
        reverse("cohorts:members", args=[cohort.pk]),
        {"action": "csv", "csv-file": SimpleUploadedFile("people.csv", content, "text/csv")},
    )
    assert response.status_code in (200, 302)
    assert not cohort.members.exists()
    assert not EmailInvitation.objects.exists()


def test_invited_address_joins_once_it_signs_up_and_confirms(force_x, mail_folder, client, course):
    cohort = force_x.cohort()

    assign(
        course,
        timezone.localdate() + datetime.timedelta(days=5),
        force_x.organisation,
        force_x.trainer,
        cohort=cohort,
    )
    force_x.client.post(
        reverse("cohorts:members", args=[cohort.pk]),
        {"action": "addresses", "addresses-addresses": "recruit@example.org"},
    )
    password = "a-long-and-unusual-passphrase"
    client.post(
        reverse("account_signup"),
        {
            "email": "recruit@example.org",
            "password1": password,
            "password2": password,
            "display_name": "New Recruit",
        },
    )
    confirmation = next(
        link
        for path in mail_folder.iterdir()
        for link in links_in(path.read_text())
        if "confirm-email" in link and "recruit@example.org" in path.read_text()
    )
    client.post(confirmation.split("testserver", 1)[1])
    recruit = cohort.members.get(email="recruit@example.org")
    assert recruit.memberships.filter(organisation=force_x.organisation).exists()
    assert Enrolment.objects.filter(user=recruit, course=course).exists()
    page = client.get(reverse("learning:my_learning")).content.decode()
    assert course.title in page.split('id="assigned-heading"')[1].split("</section>")[0]


def test_invitation_link_joins_until_it_expires_or_runs_out(force_x, client):
    cohort = force_x.cohort()
    link = InvitationLink.objects.create(
        cohort=cohort, expires_at=timezone.now() + datetime.timedelta(days=1), max_uses=1
    )
    first, second = UserFactory(role="Learner"), UserFactory(role="Learner")
    sign_in(client, first.email)
    url = reverse("cohorts:join", args=[link.token])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert cohort.members.filter(pk=first.pk).exists()

    client.post(reverse("account_logout"))
    sign_in(client, second.email)
    response = client.post(url)
    assert response.status_code == 400
    assert "used up" in response.content.decode()
    assert not cohort.members.filter(pk=second.pk).exists()

    InvitationLink.objects.filter(pk=link.pk).update(
        max_uses=5, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.post(url)
    assert "expired" in response.content.decode()
    tampered = reverse("cohorts:join", args=[link.token[:-2] + "xx"])
    response = client.get(tampered)
    assert response.status_code == 400 and "not valid" in response.content.decode()


def test_assigning_enrols_the_cohort_and_shows_due_dates(force_x, client, course):
    cohort = force_x.cohort(learners=3)
    due = timezone.localdate() + datetime.timedelta(days=14)
    response = force_x.client.post(
        reverse("cohorts:assign", args=[cohort.pk]),
        {"courses": [course.pk], "due_date": due.isoformat()},
    )
    assert response.status_code == 302
    assert Enrolment.objects.filter(course=course, user__in=cohort.members.all()).count() == 3
    learner = cohort.members.first()
    sign_in(client, learner.email)
    page = client.get(reverse("learning:my_learning")).content.decode()
    assigned = page.split('id="assigned-heading"')[1].split("</section>")[0]
    assert course.title in assigned and due.strftime("%-d %B %Y") in assigned


def test_assigning_a_course_with_a_prerequisite_enrols_in_both(force_x, course):
    police = make_course("Police course", prerequisites=[course], lessons=1)
    cohort = force_x.cohort(learners=1)
    due = timezone.localdate() + datetime.timedelta(days=14)
    force_x.client.post(
        reverse("cohorts:assign", args=[cohort.pk]),
        {"courses": [police.pk], "due_date": due.isoformat()},
    )
    learner = cohort.members.get()
    assert set(Enrolment.objects.filter(user=learner).values_list("course__title", flat=True)) == {
        "Core course",
        "Police course",
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"courses": ["999999"], "due_date": "2099-01-01"}, "courses"),
        ({"courses": ["abc"], "due_date": "2099-01-01"}, "courses"),
        (
            {"due_date": (datetime.date.today() - datetime.timedelta(days=1)).isoformat()},
            "due_date",
        ),
        ({"due_date": "not-a-date"}, "due_date"),
    ],
)
def test_bad_assignments_are_form_errors(force_x, course, data, field):
    cohort = force_x.cohort(learners=1)
    data.setdefault("courses", [course.pk])
    response = force_x.client.post(reverse("cohorts:assign", args=[cohort.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Assignment.objects.exists()


def test_completed_course_with_valid_certificate_counts_as_met(force_x, course, client):
    learner = UserFactory(role="Learner", organisation=force_x.organisation)
    enrolment = Enrolment.objects.create(user=learner, course=course, completed_at=timezone.now())

    issue_certificate_for(enrolment)
    cohort = force_x.cohort()

    add_member(cohort, learner)
    assign(
        course,
        timezone.localdate() + datetime.timedelta(days=3),
        force_x.organisation,
        force_x.trainer,
        cohort=cohort,
    )
    (assignment,) = assignments_for_learner(learner)
    assert assignment.is_met


def test_addresses_from_csv_uses_the_email_column():
    upload = io.BytesIO(b"name,email\nAlex,alex@example.org\nSam,sam@example.org\n")
    assert numbered_addresses(upload) == [(2, "alex@example.org"), (3, "sam@example.org")]
    headerless = io.BytesIO(b"alex@example.org\nsam@example.org\n")
    assert numbered_addresses(headerless) == [(1, "alex@example.org"), (2, "sam@example.org")]


def test_trainer_assigns_a_course_to_one_learner(force_x, course, force_y, client):
    learner = UserFactory(role="Learner", organisation=force_x.organisation)
    due = (timezone.localdate() + datetime.timedelta(days=9)).isoformat()
    url = reverse("cohorts:assign_to_learner", args=[learner.pk])
    assert force_y.client.post(url, {"courses": [course.pk], "due_date": due}).status_code == 404
    response = force_x.client.post(url, {"courses": [course.pk], "due_date": due})
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.user == learner and assignment.cohort is None
    assert Enrolment.objects.filter(user=learner, course=course).exists()
    response = force_x.client.post(
        url, {"courses": [course.pk], "due_date": "2000-01-01"}, follow=True
    )
    assert "cannot be in the past" in response.content.decode()
    assert Assignment.objects.count() == 1


def test_exports_and_invitations_are_rate_limited_per_trainer(
    force_x, force_y, assigned_cohort, course, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": (2, 600), "invitation": (1, 600)}
    export = reverse("cohorts:export_csv", args=[assigned_cohort.pk])
    assert [force_x.client.get(export).status_code for _ in range(3)] == [200, 200, 429]
    other = force_y.cohort()
    assign(course, timezone.localdate(), force_y.organisation, force_y.trainer, cohort=other)
    assert force_y.client.get(reverse("cohorts:export_csv", args=[other.pk])).status_code == 200

    members = reverse("cohorts:members", args=[assigned_cohort.pk])
    first = force_x.client.post(
        members, {"action": "addresses", "addresses-addresses": "one@example.org"}
    )
    second = force_x.client.post(
        members, {"action": "addresses", "addresses-addresses": "two@example.org"}
    )
    assert first.status_code == 302 and second.status_code == 429
    assert EmailInvitation.objects.filter(email="one@example.org").exists()
    assert not EmailInvitation.objects.filter(email="two@example.org").exists()


def test_an_import_that_fails_half_way_saves_nothing_and_can_be_retried(
    force_x, django_capture_on_commit_callbacks
):
    cohort = force_x.cohort()
    existing = UserFactory(role="Learner", organisation=force_x.organisation)
    addresses = ["new-one@example.org", existing.email, "new-two@example.org"]
    with (
        mock.patch.object(
            invitations_module, "add_members", side_effect=RuntimeError("database went away")
        ),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
    ):
        import_addresses(cohort, addresses, force_x.trainer)
    assert not EmailInvitation.objects.filter(cohort=cohort).exists()
    assert not cohort.members.exists()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        results = import_addresses(cohort, addresses, force_x.trainer)
    assert [result.outcome for result in results] == ["invited", "added", "invited"]
    assert len(mail.outbox) == 2
