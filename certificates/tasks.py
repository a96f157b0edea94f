from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from .models import Certificate
from .reminders import send_due_reminders
from .site_urls import absolute_url


@task()
def send_certificate_email(certificate_id):
    """Tell the learner their certificate is ready, with a link to it."""
    certificate = Certificate.objects.select_related("user").filter(pk=certificate_id).first()
    if certificate is None:
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
    send_mail(subject, body, None, [user.email])


@task()
def send_expiry_reminders():
    """Daily: remind learners whose certificates expire in 60, 30 or 7 days, or today."""
    return send_due_reminders()
