from django.core.signals import setting_changed
from django.dispatch import receiver

from learning.signals import course_completed

from .issuing import issue_certificate_for
from .storage import forget_storage


@receiver(course_completed, dispatch_uid="certificates.issue_on_completion")
def issue_on_completion(sender, enrolment, **kwargs):
    issue_certificate_for(enrolment)


@receiver(setting_changed, dispatch_uid="certificates.storage_setting_changed")
def storage_setting_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        forget_storage()
