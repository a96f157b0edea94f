from allauth.account.signals import email_confirmed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core import cache_versions

from .invitations import accept_email_invitations
from .models import (
    Assignment,
    Cohort,
    CohortMember,
    assignments_version,
    cohorts_version,
    members_version,
)


@receiver(email_confirmed, dispatch_uid="cohorts.accept_invitations")
def join_invited_cohorts(request, email_address, **kwargs):
    accept_email_invitations(email_address.user, email_address.email)


@receiver(post_save, sender=CohortMember, dispatch_uid="cohorts.members_saved")
@receiver(post_delete, sender=CohortMember, dispatch_uid="cohorts.members_deleted")
def members_changed(sender, instance, **kwargs):
    # Dashboards keep their counts per membership version.
    cache_versions.changed(members_version(instance.cohort_id))


@receiver(post_save, sender=Assignment, dispatch_uid="cohorts.assignments_saved")
@receiver(post_delete, sender=Assignment, dispatch_uid="cohorts.assignments_deleted")
def assignments_changed(sender, instance, **kwargs):
    # Organisation-wide reports keep their counts per assignments version.
    cache_versions.changed(assignments_version(instance.organisation_id))


@receiver(post_save, sender=Cohort, dispatch_uid="cohorts.cohort_saved")
@receiver(post_delete, sender=Cohort, dispatch_uid="cohorts.cohort_deleted")
def cohorts_changed(sender, instance, **kwargs):
    # The compliance filters keep the organisation's cohorts and their names.
    cache_versions.changed(cohorts_version(instance.organisation_id))
