import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from certificates import reminders
from certificates.models import Certificate, ExpiryReminder
from certificates.reminders import send_due_reminders
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


def days_before_expiry(certificate, days):
    return certificate.expires_on - datetime.timedelta(days=days)


def test_reminders_at_60_30_7_days_and_on_expiry_each_once(certificate):
    mail.outbox.clear()
    schedule = [(61, 0), (60, 1), (59, 0), (30, 1), (20, 0), (7, 1), (1, 0), (-1, 1), (-2, 0)]
    for days, expected in schedule:
        sent = send_due_reminders(today=days_before_expiry(certificate, days))
        assert sent == expected, days
    kinds = list(ExpiryReminder.objects.order_by("sent_at").values_list("kind", flat=True))
    assert kinds == ["60", "30", "7", "expired"]
    subjects = [message.subject for message in mail.outbox]
    assert "expires in 60 days" in subjects[0]
    assert "has expired" in subjects[-1]
    assert all(message.to == [certificate.user.email] for message in mail.outbox)


def test_no_reminders_for_revoked_or_renewed_certificates(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=datetime.datetime.now(datetime.UTC)
    )
    assert send_due_reminders(today=days_before_expiry(certificate, 30)) == 0


def test_the_daily_command_sends_due_reminders(certificate, capsys, monkeypatch):
    monkeypatch.setattr(reminders.timezone, "localdate", lambda: days_before_expiry(certificate, 7))
    call_command("send_expiry_reminders")
    assert "1 reminder(s) sent." in capsys.readouterr().out
    call_command("send_expiry_reminders")
    assert "0 reminder(s) sent." in capsys.readouterr().out


def test_expiring_certificate_offers_a_refresh_that_re_enrols(client, certificate, holder, course):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=datetime.date.today() + datetime.timedelta(days=20)
    )
    sign_in(client, holder.email)
    page = client.get(reverse("learning:my_learning")).content.decode()
    assert "Expiring soon" in page and "Refresh" in page
    response = client.post(reverse("certificates:refresh", args=[course.pk]))
    assert response.status_code == 302
    enrolment = certificate.enrolment
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    assert not enrolment.completions.exists()
    assert Certificate.objects.filter(pk=certificate.pk).exists()
    assert "0 of 2 required items complete" in client.get(course.url).content.decode()
