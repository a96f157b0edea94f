import datetime
import math

import pytest
from django.core import mail

from certificates.issuing import add_months, issue_certificate_for
from certificates.models import CODE_ALPHABET, CODE_LENGTH, Certificate, new_code
from learning.progress import start_new_cycle
from learning.signals import course_completed
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def test_completing_a_course_issues_a_certificate_and_emails_a_link(
    holder, course, complete_course
):
    enrolment = complete_course(holder, course)
    certificate = Certificate.objects.get(user=holder)
    assert certificate.enrolment == enrolment
    assert certificate.holder_name == "Siân Llewelyn-Ŵyn"
    assert certificate.course_title == course.title
    assert certificate.sectors == "Police, Health"
    assert certificate.cpd_hours == course.cpd_hours
    assert certificate.expires_on == add_months(certificate.completed_on, 24)
    assert certificate.pdf.name.endswith(".pdf")

    (message,) = mail.outbox
    assert message.to == [holder.email]
    assert course.title in message.subject
    assert f"http://testserver/en/certificates/{certificate.pk}/" in message.body
    assert f"http://testserver/en/verify/{certificate.formatted_code}/" in message.body


def test_completion_signal_twice_gives_one_certificate(holder, course, complete_course):
    enrolment = complete_course(holder, course)
    course_completed.send(sender=type(enrolment), enrolment=enrolment)
    course_completed.send(sender=type(enrolment), enrolment=enrolment)
    assert issue_certificate_for(enrolment) == Certificate.objects.get()


def test_an_issued_certificate_never_changes(certificate, course, holder):
    frozen = Certificate.objects.filter(pk=certificate.pk).values().get()
    course.title = "A renamed course"
    course.cpd_hours = 9
    course.save_revision().publish()
    holder.display_name = "Another Name"
    holder.save()
    assert Certificate.objects.filter(pk=certificate.pk).values().get() == frozen

    certificate.holder_name = "Tampered"
    with pytest.raises(ValueError):
        certificate.save()
    certificate.refresh_from_db()
    assert certificate.holder_name == "Siân Llewelyn-Ŵyn"


def test_recertifying_issues_a_new_certificate_and_keeps_the_old(
    holder, course, complete_course, certificate
):
    enrolment = certificate.enrolment
    start_new_cycle(enrolment)
    complete_course(holder, course)
    certificates = list(Certificate.objects.filter(user=holder).order_by("issued_at"))
    assert len(certificates) == 2
    assert certificates[0].pk == certificate.pk
    assert certificates[1].completed_at > certificates[0].completed_at


def test_codes_are_long_random_and_unique(holder, course, complete_course):
    assert CODE_LENGTH * math.log2(len(CODE_ALPHABET)) >= 64
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 11, 25), 24, datetime.date(2028, 11, 25)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
    ],
)
def test_expiry_adds_calendar_months(start, months, expected):
    assert add_months(start, months) == expected


def test_emails_are_plain_text_not_html_escaped(holder, complete_course, db):
    course = make_course("Children's rights and trafficking", lessons=1)
    mail.outbox.clear()
    complete_course(holder, course)
    (message,) = mail.outbox
    assert "Children's rights and trafficking" in message.subject
    assert "&#x27;" not in message.body and "&amp;" not in message.body
