from django.dispatch import receiver

from learning.signals import course_completed

from .issuing import issue_certificate_for


@receiver(course_completed, dispatch_uid="certificates.issue_on_completion")
def issue_on_completion(sender, enrolment, **kwargs):
    issue_certificate_for(enrolment)
