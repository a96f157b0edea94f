import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from courses.models import LessonPage
from recognise.editorial import review
from recognise.editorial.models import ReviewReminder
from recognise.editorial.review import content_due_for_review, send_due_review_reminders
from tests.factories import UserFactory, make_course, make_guidance

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 10, 20)


@pytest.fixture
def due_guidance(ngo_a):
    page = make_guidance(
        ngo_a.section,
        "Due soon",
        last_reviewed=datetime.date(2026, 11, 1),
        next_review=datetime.date(2027, 11, 1),
    )
    page.owner = ngo_a.editor
    page.save()
    return page


def test_report_lists_content_due_within_30_days_with_its_owner(due_guidance, ngo_a, signed_in):
    overdue_course = make_course("Overdue course")
    overdue_course.next_review = datetime.date(2027, 9, 1)
    overdue_course.save()
    make_guidance(ngo_a.section, "Not due", next_review=datetime.date(2028, 6, 1))

    due = content_due_for_review(TODAY)
    assert [page.title for page in due] == ["Overdue course", "Due soon"]

    # The report itself uses today's date.
    due_guidance.next_review = datetime.date.today() + datetime.timedelta(days=10)
    due_guidance.save()

    reviewer = UserFactory(role="Safeguarding reviewer")
    client = signed_in(reviewer)
    page = client.get(reverse("editorial_review_due")).content.decode()
    # Names are shown HTML-escaped (an apostrophe in O'Sullivan, say).
    assert "Due soon" in page
    assert escape(ngo_a.editor.display_name) in page
    assert escape(ngo_a.organisation.name) in page


def test_report_is_for_reviewers_and_publishers(ngo_a, signed_in):
    client = signed_in(ngo_a.editor, ngo_a.secret)
    assert client.get(reverse("editorial_review_due")).status_code == 403


def test_owners_are_reminded_once_per_page_and_date(due_guidance, ngo_a):
    mail.outbox.clear()
    assert send_due_review_reminders(TODAY) == 1
    assert send_due_review_reminders(TODAY) == 0
    (message,) = mail.outbox
    assert message.to == [ngo_a.editor.email]
    assert "Due soon" in message.subject
    due_guidance.next_review = datetime.date(2027, 11, 15)
    due_guidance.save()
    assert send_due_review_reminders(TODAY) == 1
    assert ReviewReminder.objects.count() == 2


def test_daily_command(due_guidance, capsys, monkeypatch):
    monkeypatch.setattr(review.timezone, "localdate", lambda: TODAY)
    call_command("send_review_reminders")
    assert "1 review reminder(s) sent." in capsys.readouterr().out


def test_pages_show_last_reviewed_and_contributor(client, ngo_a):
    guidance = make_guidance(ngo_a.section, "Shown guidance")
    page = client.get(guidance.url).content.decode()
    assert "Last reviewed 1 November 2026" in page and "Contributed by First Charity" in page
    course = make_course("Shown course", lessons=1)
    assert "Last reviewed 1 November 2026" in client.get(course.url).content.decode()
    lesson = LessonPage.objects.child_of(course).first()
    lesson_page = client.get(lesson.url).content.decode()
    assert "Last reviewed 1 November 2026" in lesson_page
    assert "Written by the Recognise team" in lesson_page
