import smtplib

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from core.retries import retry_later
from core.site_urls import absolute_url

from .models import Certificate
from .pdf_files import store_pdf
from .reminders import send_due_reminders


@task()
def send_certificate_email(certificate_id, attempt=1):
    """Tell the learner their certificate is ready, with a link to it; if the mail server
    fails, try again later (the certificate itself is already issued and kept).

    Marked as sent only once the mail server has taken it: a worker killed before then
    leaves it to be sent when the task runs again, and one killed after it does not
    send it twice."""
    certificate = Certificate.objects.select_related("user").filter(pk=certificate_id).first()
    if certificate is None or certificate.emailed_at:
        return
    user = certificate.user
    with translation.override(user.preferred_language):
        context = {
            "certificate": certificate,
            "certificate_url": absolute_url(certificate.get_absolute_url()),
            "verification_url": absolute_url(certificate.get_verification_url()),
        }
        subject = render_to_string("certificates/email/issued_subject.txt", context).strip()
        body = render_to_string("certificates/email/issued_body.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except (OSError, smtplib.SMTPException) as error:
        retry_later(send_certificate_email, certificate_id, attempt=attempt, error=error)
    else:
        Certificate.objects.filter(pk=certificate.pk).update(emailed_at=timezone.now())


@task()
def build_certificate_pdf(certificate_id, attempt=1):
    """Build a certificate's PDF that could not be built when it was issued."""
    certificate = Certificate.objects.select_related("user").filter(pk=certificate_id).first()
    if certificate is None or certificate.pdf:
        return
    try:
        store_pdf(certificate)
    except Exception as error:  # any renderer or storage failure is retried the same way
        retry_later(build_certificate_pdf, certificate_id, attempt=attempt, error=error)


@task()
def send_expiry_reminders():
    """Daily: remind learners whose certificates expire in 60, 30 or 7 days, or today."""
    return send_due_reminders()
