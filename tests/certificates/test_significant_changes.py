import csv
import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.models import PageLogEntry

from certificates.issuing import issue_certificate_for
from certificates.models import Certificate, SignificantChange, SignificantChangeNotice
from certificates.significant_changes import send_change_emails
from cohorts.assigning import add_member, assign
from courses.models import Enrolment
from tests.cohorts.conftest import Force
from tests.factories import UserFactory, make_assessment, make_question
from tests.query_budgets import queries_for
from tests.signing_in import enrol_totp, sign_in_with_totp

pytestmark = pytest.mark.django_db

SUMMARY = "The law changed: the duty to notify now covers every child."


def staff_client(role):
    user = UserFactory(role=role)
    client = Client()
    sign_in_with_totp(client, user, enrol_totp(user))
    return client, user


def publish(page):
    page.save_revision().publish()
    return PageLogEntry.objects.filter(action="wagtail.publish", page=page).latest("pk")


@pytest.fixture
def published_course(course):
    """The course with a final assessment, both published through revisions."""
    final = make_assessment(course, [make_question("Q?")])
    publish(course)
    publish(final)
    course.refresh_from_db()
    return course


def earn(user, course):
    """Complete the course now (its lessons and final assessment) and be certified."""
    enrolment, _created = Enrolment.objects.get_or_create(user=user, course=course)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    enrolment.refresh_from_db()
    return issue_certificate_for(enrolment)


def mark_url(course):
    return reverse("certificates_significant_change", args=[course.pk])


def mark(client, course, entry, summary=SUMMARY):
    return client.post(mark_url(course), {"publication": entry.pk, "summary": summary})


def test_certificate_records_the_versions_it_was_earned_on(holder, published_course):
    certificate = earn(holder, published_course)
    final = published_course.get_children().type(__import__("quizzes").models.AssessmentPage).get()
    assert certificate.course_revision_id == published_course.live_revision_id
    assert certificate.assessment_revision_id == final.live_revision_id
    assert certificate.course_revision_id is not None


def test_marking_a_change_tells_holders_of_older_valid_certificates_once(
    published_course, django_capture_on_commit_callbacks
):
    older = UserFactory(role="Learner", display_name="Older Holder")
    revoked = UserFactory(role="Learner")
    expired = UserFactory(role="Learner")
    earn(older, published_course)
    revoked_certificate = earn(revoked, published_course)
    Certificate.objects.filter(pk=revoked_certificate.pk).update(revoked_at=timezone.now())
    expired_certificate = earn(expired, published_course)
    Certificate.objects.filter(pk=expired_certificate.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )

    published_course.title = "Core course (2027 law)"
    entry = publish(published_course)
    current = UserFactory(role="Learner")
    earn(current, published_course)
    mail.outbox.clear()

    client, publisher = staff_client("Publisher")
    page = client.get(mark_url(published_course))
    assert page.status_code == 200
    assert "Core course (2027 law)" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = mark(client, published_course, entry)
    assert response.status_code == 302

    (message,) = mail.outbox
    assert message.to == [older.email]
    assert SUMMARY in message.body
    assert "http://testserver/en/learning/" in message.body
    change = SignificantChange.objects.get()
    assert change.marked_by == publisher and change.summary == SUMMARY

    # Marked again, or the task run again: nobody is emailed twice.
    with django_capture_on_commit_callbacks(execute=True):
        mark(client, published_course, entry, summary="Again")
    send_change_emails.call(change.pk)
    assert len(mail.outbox) == 1
    assert SignificantChange.objects.count() == 1
    # Nothing is revoked.
    assert not Certificate.objects.filter(user=older, revoked_at__isnull=False).exists()


def test_a_change_to_the_final_assessment_counts_too(
    holder, published_course, django_capture_on_commit_callbacks
):
    earn(holder, published_course)
    final = published_course.get_children().type(__import__("quizzes").models.AssessmentPage).get()
    entry = publish(final.specific)
    mail.outbox.clear()
    client, _publisher = staff_client("Publisher")
    with django_capture_on_commit_callbacks(execute=True):
        mark(client, published_course, entry)
    assert [message.to for message in mail.outbox] == [[holder.email]]


def test_welsh_holders_are_emailed_in_welsh(published_course, django_capture_on_commit_callbacks):
    welsh = UserFactory(role="Learner", preferred_language="cy")
    earn(welsh, published_course)
    entry = publish(published_course)
    mail.outbox.clear()
    client, _publisher = staff_client("Publisher")
    with django_capture_on_commit_callbacks(execute=True):
        mark(client, published_course, entry)
    (message,) = mail.outbox
    assert "Beth sydd wedi newid" in message.body


def test_my_learning_shows_the_notice_with_the_summary_and_refresher(
    holder, published_course, django_capture_on_commit_callbacks
):
    earn(holder, published_course)
    entry = publish(published_course)
    client, _publisher = staff_client("Publisher")
    with django_capture_on_commit_callbacks(execute=True):
        mark(client, published_course, entry)

    learner = Client()
    learner.force_login(holder)
    page = learner.get(reverse("learning:my_learning")).content.decode()
    assert SUMMARY in page
    refresh = reverse("certificates:refresh", args=[published_course.pk])
    assert f'action="{refresh}"' in page
    assert "Start the refresher" in page

    # Refreshed and certified again on the current version: the notice goes.
    learner.post(refresh)
    earn(holder, published_course)
    page = learner.get(reverse("learning:my_learning")).content.decode()
    assert SUMMARY not in page


def test_dashboards_and_exports_mark_earlier_versions(
    published_course, django_capture_on_commit_callbacks
):
    force = Force("Force X")
    cohort = force.cohort()
    older = UserFactory(role="Learner", organisation=force.organisation, display_name="A Older")
    current = UserFactory(role="Learner", organisation=force.organisation, display_name="B Current")
    add_member(cohort, older)
    add_member(cohort, current)
    assign(
        published_course,
        timezone.localdate() + datetime.timedelta(days=10),
        force.organisation,
        force.trainer,
        cohort=cohort,
    )
    earn(older, published_course)
    entry = publish(published_course)
    earn(current, published_course)

    dashboard = reverse("cohorts:dashboard", args=[cohort.pk])
    assert "Earned on an earlier version" not in force.client.get(dashboard).content.decode()

    client, _publisher = staff_client("Publisher")
    with django_capture_on_commit_callbacks(execute=True):
        mark(client, published_course, entry)

    page = force.client.get(dashboard).content.decode()
    assert page.count("Earned on an earlier version") == 1
    assert (
        page.index("A Older") < page.index("Earned on an earlier version") < page.index("B Current")
    )

    learner_page = reverse("cohorts:learner", args=[older.pk])
    assert "Earned on an earlier version" in force.client.get(learner_page).content.decode()
    learner_page = reverse("cohorts:learner", args=[current.pk])
    assert "Earned on an earlier version" not in force.client.get(learner_page).content.decode()

    response = force.client.get(reverse("cohorts:export_csv", args=[cohort.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    heading, *rows = list(csv.reader(io.StringIO(text)))
    assert heading[-1] == "Course changed since"
    marked = {row[0]: row[-1] for row in rows}
    assert marked == {"A Older": "Earned on an earlier version", "B Current": ""}


@pytest.mark.parametrize("role", ["NGO editor", "Safeguarding reviewer"])
def test_editors_and_reviewers_cannot_mark_a_change(role, holder, published_course):
    earn(holder, published_course)
    entry = publish(published_course)
    mail.outbox.clear()
    client, _user = staff_client(role)
    assert client.get(mark_url(published_course)).status_code == 403
    assert mark(client, published_course, entry).status_code == 403
    assert not SignificantChange.objects.exists()
    assert not SignificantChangeNotice.objects.exists()
    assert mail.outbox == []


def test_a_change_needs_a_summary_and_a_listed_version(published_course):
    client, _publisher = staff_client("Publisher")
    entry = publish(published_course)
    response = mark(client, published_course, entry, summary="")
    assert response.status_code == 200
    assert "Say what changed." in response.content.decode()
    response = client.post(
        mark_url(published_course), {"publication": "999999", "summary": SUMMARY}
    )
    assert response.status_code == 200
    assert not SignificantChange.objects.exists()


def test_header_menu_offers_the_action_to_publishers(published_course):
    client, _publisher = staff_client("Publisher")
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[published_course.pk]))
    assert mark_url(published_course) in edit.content.decode()


def test_footer_and_home_page_link_to_the_check(client):
    verify = reverse("certificates:verify_form")
    home = client.get("/en/")
    assert home.status_code == 200
    assert home.content.decode().count(f'href="{verify}"') >= 2  # home page and footer
    privacy = client.get(reverse("privacy")).content.decode()
    assert f'href="{verify}"' in privacy
    check = client.get(verify).content.decode()
    assert "It does not show assessment scores" in check


def test_publishing_a_lesson_offers_publishers_the_action(rf, published_course):
    lesson = published_course.lessons().first()
    for role, offered in [("Publisher", True), ("Safeguarding reviewer", False)]:
        request = rf.post("/")
        request.user = UserFactory(role=role)
        request.session = {}
        request._messages = FallbackStorage(request)
        for hook in hooks.get_hooks("after_publish_page"):
            hook(request, lesson)
        shown = " ".join(str(message) for message in get_messages(request))
        assert (mark_url(published_course) in shown) is offered


def test_holders_are_emailed_in_batches_each_once(
    monkeypatch, published_course, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("certificates.significant_changes.EMAIL_BATCH", 2)
    holders = [UserFactory(role="Learner") for _ in range(5)]
    for person in holders:
        earn(person, published_course)
    entry = publish(published_course)
    mail.outbox.clear()
    client, _publisher = staff_client("Publisher")
    with django_capture_on_commit_callbacks(execute=True):
        mark(client, published_course, entry)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in holders)
    assert not SignificantChangeNotice.objects.filter(emailed_at__isnull=True).exists()


def test_the_marking_page_makes_the_same_queries_with_more_history(published_course):
    client, _publisher = staff_client("Publisher")
    url = mark_url(published_course)
    few = queries_for(client, url)
    for number in range(3):
        entry = publish(published_course)
        mark(client, published_course, entry, summary=f"{SUMMARY} ({number})")
    for _ in range(10):
        publish(published_course)
    assert SignificantChange.objects.count() == 3
    assert queries_for(client, url) == few
