"""Housekeeping a trainer does on a cohort: removing leavers, renaming, archiving,
moving or cancelling due dates, and withdrawing invitations."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from audit.models import Action, AuditEvent
from cohorts import due_date_emails
from cohorts.assigning import assign, assignments_for_learner
from cohorts.invitations import accept_email_invitations
from cohorts.models import Assignment, Cohort, CohortMember, EmailInvitation, InvitationLink
from courses.models import Enrolment
from tests.factories import UserFactory
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def dashboard_emails(client, cohort, **params):
    response = client.get(reverse("cohorts:dashboard", args=[cohort.pk]), params)
    assert response.status_code == 200
    return [row.email for row in response.context["page_obj"]]


# Removing a learner -------------------------------------------------------------------


def test_removing_a_learner_asks_first_then_keeps_their_record(force_x, assigned_cohort):
    learner = assigned_cohort.members.first()
    url = reverse("cohorts:remove_member", args=[assigned_cohort.pk, learner.pk])
    confirm = force_x.client.get(url)
    assert confirm.status_code == 200
    assert "Their learning record" in confirm.content.decode()
    assert CohortMember.objects.filter(cohort=assigned_cohort, user=learner).exists()

    response = force_x.client.post(url, follow=True)
    assert "was removed from" in response.content.decode()
    assert not CohortMember.objects.filter(cohort=assigned_cohort, user=learner).exists()
    # Their enrolment and their place in the organisation stay theirs.
    assert Enrolment.objects.filter(user=learner).exists()
    assert Membership.objects.filter(user=learner, organisation=force_x.organisation).exists()
    # The cohort's courses no longer apply to them, and the dashboard drops them at once.
    assert assignments_for_learner(learner) == []
    assert learner.email not in dashboard_emails(force_x.client, assigned_cohort)
    event = AuditEvent.objects.get(action=Action.COHORT_MEMBER_REMOVED)
    assert event.actor == force_x.trainer
    assert event.data == {"cohort_id": assigned_cohort.pk, "user_id": learner.pk}


def test_dashboard_counts_drop_at_once_after_a_removal(force_x, assigned_cohort):
    before = force_x.client.get(reverse("cohorts:dashboard", args=[assigned_cohort.pk]))
    assert before.context["summary"].total == 4
    learner = assigned_cohort.members.first()
    force_x.client.post(reverse("cohorts:remove_member", args=[assigned_cohort.pk, learner.pk]))
    after = force_x.client.get(reverse("cohorts:dashboard", args=[assigned_cohort.pk]))
    assert after.context["summary"].total == 3


def test_removing_twice_says_so_without_an_error(force_x, assigned_cohort):
    learner = assigned_cohort.members.first()
    url = reverse("cohorts:remove_member", args=[assigned_cohort.pk, learner.pk])
    force_x.client.post(url)
    again = force_x.client.post(url, follow=True)
    assert again.status_code == 200
    assert "is not in “Intake 26A” any more" in again.content.decode()
    assert AuditEvent.objects.filter(action=Action.COHORT_MEMBER_REMOVED).count() == 1


def test_removing_is_post_only_and_limited_to_the_trainers_own_cohorts(
    force_x, force_y, assigned_cohort
):
    learner = assigned_cohort.members.first()
    url = reverse("cohorts:remove_member", args=[assigned_cohort.pk, learner.pk])
    assert force_y.client.post(url).status_code == 404
    client = sign_in_learner(learner)
    assert client.post(url).status_code == 403
    assert CohortMember.objects.filter(cohort=assigned_cohort, user=learner).exists()
    # Someone of another organisation is not found, in the trainer's own cohort too.
    stranger = UserFactory(role="Learner", organisation=force_y.organisation)
    stranger_url = reverse("cohorts:remove_member", args=[assigned_cohort.pk, stranger.pk])
    assert force_x.client.post(stranger_url).status_code == 404


def sign_in_learner(learner):
    client = Client()
    sign_in(client, learner.email)
    return client


# Renaming and archiving ---------------------------------------------------------------


def test_trainer_renames_a_cohort(force_x, assigned_cohort):
    url = reverse("cohorts:settings", args=[assigned_cohort.pk])
    assert force_x.client.get(url).status_code == 200
    response = force_x.client.post(url, {"name": "Intake 26A (North)"}, follow=True)
    assert "is now called “Intake 26A (North)”" in response.content.decode()
    assigned_cohort.refresh_from_db()
    assert assigned_cohort.name == "Intake 26A (North)"
    event = AuditEvent.objects.get(action=Action.COHORT_RENAMED)
    assert event.data["previous_name"] == "Intake 26A"


def test_a_name_another_cohort_has_is_a_field_error(force_x, force_y):
    cohort = force_x.cohort("Intake 1")
    force_x.cohort("Intake 2")
    force_y.cohort("Intake 3")
    url = reverse("cohorts:settings", args=[cohort.pk])
    response = force_x.client.post(url, {"name": "intake 2"})
    assert response.status_code == 200
    assert "already has a cohort with this name" in str(response.context["form"].errors["name"])
    # Another organisation's names do not count; links in a name are refused.
    assert force_x.client.post(url, {"name": "Intake 3"}).status_code == 302
    bad = force_x.client.post(url, {"name": "See evil.example"})
    assert "name" in bad.context["form"].errors
    assert Cohort.objects.get(pk=cohort.pk).name == "Intake 3"
    assert AuditEvent.objects.filter(action=Action.COHORT_RENAMED).count() == 1


def test_archived_cohorts_leave_the_overview_but_stay_readable(force_x, assigned_cohort):
    current = force_x.cohort("Intake 26B")
    response = force_x.client.post(
        reverse("cohorts:archive", args=[assigned_cohort.pk]), {"archive": "1"}, follow=True
    )
    assert "is archived" in response.content.decode()
    overview = force_x.client.get(reverse("cohorts:overview"))
    assert [c.pk for c in overview.context["cohorts"]] == [current.pk]
    assert "Show archived cohorts" in overview.content.decode()
    archived = force_x.client.get(reverse("cohorts:overview"), {"show": "archived"})
    assert [c.pk for c in archived.context["cohorts"]] == [assigned_cohort.pk]
    # Records and dashboard stay readable.
    assert len(dashboard_emails(force_x.client, assigned_cohort)) == 4
    assert AuditEvent.objects.filter(action=Action.COHORT_ARCHIVED).count() == 1

    force_x.client.post(reverse("cohorts:archive", args=[assigned_cohort.pk]), {"archive": "0"})
    overview = force_x.client.get(reverse("cohorts:overview"))
    assert {c.pk for c in overview.context["cohorts"]} == {current.pk, assigned_cohort.pk}
    assert AuditEvent.objects.filter(action=Action.COHORT_UNARCHIVED).count() == 1


def test_an_archived_cohort_takes_no_new_members_or_courses(force_x, assigned_cohort, course):
    assigned_cohort.archived_at = timezone.now()
    assigned_cohort.save()
    newcomer = UserFactory(role="Learner", organisation=force_x.organisation)
    response = force_x.client.post(
        reverse("cohorts:members", args=[assigned_cohort.pk]),
        {"action": "existing", "existing-learners": [newcomer.pk]},
        follow=True,
    )
    assert "is archived: it cannot take new learners or courses" in response.content.decode()
    assert not assigned_cohort.memberships.filter(user=newcomer).exists()
    response = force_x.client.post(
        reverse("cohorts:assign", args=[assigned_cohort.pk]),
        {"courses": [course.pk], "due_date": days(20).isoformat()},
        follow=True,
    )
    assert "is archived" in response.content.decode()
    assert assigned_cohort.assignments.count() == 1


# Due dates ----------------------------------------------------------------------------


def test_trainer_moves_a_due_date_and_learners_are_told_in_their_language(
    force_x, assigned_cohort, django_capture_on_commit_callbacks
):
    assignment = assigned_cohort.assignments.get()
    welsh = assigned_cohort.members.first()
    welsh.preferred_language = "cy"
    welsh.save()
    new_date = days(40)
    url = reverse("cohorts:due_date", args=[assigned_cohort.pk, assignment.pk])
    assert force_x.client.get(url).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = force_x.client.post(
            url, {"day": new_date.day, "month": new_date.month, "year": new_date.year}
        )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.due_date == new_date
    assert len(mail.outbox) == 4
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address[welsh.email].subject.startswith("Dyddiad cau newydd")
    english = next(m for address, m in by_address.items() if address != welsh.email)
    assert english.subject.startswith("New due date")
    assert f"{new_date:%-d %B %Y}" in english.body
    event = AuditEvent.objects.get(action=Action.ASSIGNMENT_DUE_DATE_CHANGED)
    assert event.data["due_date"] == new_date.isoformat()


def test_a_due_date_in_the_past_or_not_a_date_is_a_field_error(force_x, assigned_cohort):
    assignment = assigned_cohort.assignments.get()
    url = reverse("cohorts:due_date", args=[assigned_cohort.pk, assignment.pk])
    yesterday = days(-1)
    for data, words in (
        ({"day": yesterday.day, "month": yesterday.month, "year": yesterday.year}, "future"),
        ({"day": "31", "month": "2", "year": "2030"}, "real date"),
        ({"day": "", "month": "3", "year": "2030"}, "day, month and year"),
    ):
        response = force_x.client.post(url, data)
        assert response.status_code == 200
        assert words in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.due_date == days(10)
    assert not AuditEvent.objects.filter(action=Action.ASSIGNMENT_DUE_DATE_CHANGED).exists()


def test_due_date_emails_go_in_batches_each_through_one_connection(
    force_x, course, monkeypatch, django_capture_on_commit_callbacks
):
    cohort = force_x.cohort(learners=5)
    assignment = assign(course, days(10), force_x.organisation, force_x.trainer, cohort=cohort)
    monkeypatch.setattr(due_date_emails, "EMAIL_BATCH", 2)
    opened = []
    original_open = EmailBackend.open

    def counting_open(self):
        opened.append(self)
        return original_open(self)

    monkeypatch.setattr(EmailBackend, "open", counting_open)
    mail.outbox.clear()
    new_date = days(30)
    with django_capture_on_commit_callbacks(execute=True):
        force_x.client.post(
            reverse("cohorts:due_date", args=[cohort.pk, assignment.pk]),
            {"day": new_date.day, "month": new_date.month, "year": new_date.year},
        )
    assert len(mail.outbox) == 5
    # Five learners in batches of two: three batches, one connection each.
    assert len(opened) == 3


def test_cancelling_asks_first_removes_the_assignment_and_keeps_enrolments(
    force_x, assigned_cohort, course, django_capture_on_commit_callbacks
):
    assignment = assigned_cohort.assignments.get()
    url = reverse("cohorts:cancel_assignment", args=[assigned_cohort.pk, assignment.pk])
    assert "stay enrolled" in force_x.client.get(url).content.decode()
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = force_x.client.post(url, follow=True)
    assert "is no longer assigned" in response.content.decode()
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert Enrolment.objects.filter(course=course).count() == 4
    assert len(mail.outbox) == 4
    assert mail.outbox[0].subject.startswith("No longer set")
    assert AuditEvent.objects.filter(action=Action.ASSIGNMENT_CANCELLED).count() == 1
    # Cancelling again from a stale page says so.
    again = force_x.client.post(url, follow=True)
    assert "no longer assigned to this cohort" in again.content.decode()


def test_another_organisations_trainer_cannot_move_or_cancel(force_x, force_y, assigned_cohort):
    assignment = assigned_cohort.assignments.get()
    for name in ("cohorts:due_date", "cohorts:cancel_assignment"):
        url = reverse(name, args=[assigned_cohort.pk, assignment.pk])
        data = {"day": "1", "month": "1", "year": "2030"}
        assert force_y.client.post(url, data).status_code == 404
    assert Assignment.objects.get(pk=assignment.pk).due_date == days(10)


# Invitations --------------------------------------------------------------------------


def test_a_withdrawn_link_stops_working_and_says_why(force_x, assigned_cohort):
    link = InvitationLink.objects.create(
        cohort=assigned_cohort, expires_at=timezone.now() + datetime.timedelta(days=7), max_uses=9
    )
    response = force_x.client.post(
        reverse("cohorts:withdraw_link", args=[assigned_cohort.pk, link.pk]), follow=True
    )
    assert "it no longer works" in response.content.decode()
    assert link.token not in response.content.decode()
    newcomer = UserFactory(role="Learner")
    client = sign_in_learner(newcomer)
    join = reverse("cohorts:join", args=[link.token])
    page = client.get(join)
    assert page.status_code == 410
    assert "withdrawn by your trainer" in page.content.decode()
    assert client.post(join).status_code == 400
    assert not assigned_cohort.memberships.filter(user=newcomer).exists()
    assert AuditEvent.objects.filter(action=Action.INVITATION_WITHDRAWN).count() == 1
    again = force_x.client.post(
        reverse("cohorts:withdraw_link", args=[assigned_cohort.pk, link.pk]), follow=True
    )
    assert "already withdrawn" in again.content.decode()


def test_a_withdrawn_email_invitation_no_longer_joins_the_cohort(force_x, assigned_cohort):
    invitation = EmailInvitation.objects.create(
        cohort=assigned_cohort, email="new.officer@example.org", invited_by=force_x.trainer
    )
    response = force_x.client.post(
        reverse("cohorts:withdraw_invitation", args=[assigned_cohort.pk, invitation.pk]),
        follow=True,
    )
    assert "no longer joins the cohort" in response.content.decode()
    person = UserFactory(email="new.officer@example.org", role="Learner")
    accept_email_invitations(person, person.email)
    assert not assigned_cohort.memberships.filter(user=person).exists()
    assert AuditEvent.objects.filter(action=Action.INVITATION_WITHDRAWN).count() == 1
    again = force_x.client.post(
        reverse("cohorts:withdraw_invitation", args=[assigned_cohort.pk, invitation.pk]),
        follow=True,
    )
    assert "already withdrawn" in again.content.decode()


def test_another_organisations_trainer_cannot_withdraw(force_x, force_y, assigned_cohort):
    link = InvitationLink.objects.create(
        cohort=assigned_cohort, expires_at=timezone.now() + datetime.timedelta(days=7), max_uses=9
    )
    url = reverse("cohorts:withdraw_link", args=[assigned_cohort.pk, link.pk])
    assert force_y.client.post(url).status_code == 404
    assert force_x.client.get(url).status_code == 405
    link.refresh_from_db()
    assert link.withdrawn_at is None


def test_an_archived_cohorts_links_and_invitations_wait(force_x, assigned_cohort):
    link = InvitationLink.objects.create(
        cohort=assigned_cohort, expires_at=timezone.now() + datetime.timedelta(days=7), max_uses=9
    )
    EmailInvitation.objects.create(cohort=assigned_cohort, email="later@example.org")
    assigned_cohort.archived_at = timezone.now()
    assigned_cohort.save()
    person = UserFactory(email="later@example.org", role="Learner")
    accept_email_invitations(person, person.email)
    client = sign_in_learner(person)
    page = client.get(reverse("cohorts:join", args=[link.token]))
    assert "archived" in page.content.decode()
    assert not assigned_cohort.memberships.filter(user=person).exists()


def test_due_date_emails_cost_the_same_queries_per_batch_whatever_its_size(
    force_x, course, monkeypatch
):
    """A batch reads its learners once and sends over one connection (locmem here), each
    learner in their own language."""

    def send_to(learners):
        cohort = force_x.cohort(f"Cohort of {learners}", learners=learners)
        welsh = cohort.members.first()
        welsh.preferred_language = "cy"
        welsh.save()
        ids = list(cohort.members.values_list("pk", flat=True))
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as queries:
            sent = due_date_emails.send_due_date_emails.call(
                ids, course.pk, days(5).isoformat(), days(20).isoformat()
            )
        assert sent == learners == len(mail.outbox)
        by_address = {message.to[0]: message for message in mail.outbox}
        assert by_address[welsh.email].subject.startswith("Dyddiad cau newydd")
        assert sum(m.subject.startswith("Dyddiad") for m in mail.outbox) == 1
        return len(queries)

    send_to(2)  # the site's page paths, kept in the cache after the first run
    assert send_to(5) == send_to(40)
