"""A PDF renderer or mail server that fails never costs a learner their completion or
certificate: the work is retried, and nothing is left half-saved."""

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks import default_task_backend

from certificates.models import Certificate
from certificates.tasks import build_certificate_pdf, send_certificate_email
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db

DEFERRING_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def broken_renderer(*args, **kwargs):
    raise RuntimeError("renderer crashed")


def test_a_failing_pdf_renderer_still_issues_the_certificate(
    holder, course, complete_course, client
):
    with mock.patch("certificates.pdf_files.certificate_pdf", broken_renderer):
        enrolment = complete_course(holder, course)
    assert enrolment.completed_at is not None
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert not certificate.pdf
    assert len(mail.outbox) == 1  # the learner is still told

    sign_in(client, holder.email)
    url = reverse("certificates:pdf", args=[certificate.pk])
    with mock.patch("certificates.pdf_files.certificate_pdf", broken_renderer):
        refused = client.get(url)
    assert refused.status_code == 503
    assert "not ready yet" in refused.content.decode()
    # Once the renderer works again, the download builds and keeps the PDF.
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    certificate.refresh_from_db()
    assert certificate.pdf


def test_pdf_build_is_retried_later_when_it_fails(certificate, settings):
    settings.TASKS = DEFERRING_TASKS
    Certificate.objects.filter(pk=certificate.pk).update(pdf="")

    with mock.patch("certificates.pdf_files.certificate_pdf", broken_renderer):
        build_certificate_pdf.call(str(certificate.pk))
    (retry,) = default_task_backend.results
    assert retry.task.name == "build_certificate_pdf"
    assert retry.kwargs == {"attempt": 2} and retry.task.run_after is not None


def not_emailed_yet(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(emailed_at=None)


def test_a_mail_server_failure_keeps_the_certificate_and_retries_the_email(certificate, settings):
    settings.TASKS = DEFERRING_TASKS

    not_emailed_yet(certificate)
    with mock.patch(
        "certificates.tasks.send_mail", side_effect=smtplib.SMTPServerDisconnected("down")
    ):
        send_certificate_email.call(str(certificate.pk))
    assert Certificate.objects.filter(pk=certificate.pk).exists()
    (retry,) = default_task_backend.results
    assert retry.task.name == "send_certificate_email"
    assert retry.args == [str(certificate.pk)] and retry.kwargs == {"attempt": 2}
    certificate.refresh_from_db()
    assert certificate.emailed_at is None


def test_the_email_is_given_up_after_five_tries(certificate, settings):
    settings.TASKS = DEFERRING_TASKS

    not_emailed_yet(certificate)
    with mock.patch("certificates.tasks.send_mail", side_effect=OSError("no route")):
        send_certificate_email.call(str(certificate.pk), attempt=5)
    assert list(default_task_backend.results) == []


def test_the_email_task_run_again_does_not_email_twice(certificate):
    assert len(mail.outbox) == 1
    certificate.refresh_from_db()
    assert certificate.emailed_at is not None
    send_certificate_email.call(str(certificate.pk))
    assert len(mail.outbox) == 1
