"""Workflow emails through background tasks, the review workflow on every home page, and
NGO editors' page access kept in step with their memberships and roles."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import TaskState, Workflow, WorkflowPage, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from accounts.models import Membership, User
from guidance.models import GuidanceSectionPage
from recognise.home.models import HomePage

from .ngo_access import ensure_ngo_access, sync_user
from .tasks import notify_task_submitted, notify_workflow_event

WORKFLOW_NAME = "Safeguarding review and publication"

# Wagtail emails reviewers and editors inside the request; ours queue the same messages as
# background tasks instead, so Wagtail's own receivers are taken off first.
for signal, sender, uid in [
    (task_submitted, TaskState, "group_approval_task_submitted_email_notification"),
    (workflow_submitted, WorkflowState, "workflow_state_submitted_email_notification"),
    (workflow_rejected, WorkflowState, "workflow_state_rejected_email_notification"),
    (workflow_approved, WorkflowState, "workflow_state_approved_email_notification"),
]:
    signal.disconnect(sender=sender, dispatch_uid=uid)


@receiver(task_submitted, sender=TaskState, dispatch_uid="editorial.task_submitted")
def queue_task_submitted(sender, instance, user=None, **kwargs):
    user_id = user.pk if user else None
    transaction.on_commit(lambda: notify_task_submitted.enqueue(instance.pk, user_id))


def queue_workflow_event(event, instance, user):
    user_id = user.pk if user else None
    transaction.on_commit(lambda: notify_workflow_event.enqueue(event, instance.pk, user_id))


@receiver(workflow_submitted, sender=WorkflowState, dispatch_uid="editorial.workflow_submitted")
def queue_workflow_submitted(sender, instance, user=None, **kwargs):
    queue_workflow_event("submitted", instance, user)


@receiver(workflow_rejected, sender=WorkflowState, dispatch_uid="editorial.workflow_rejected")
def queue_workflow_rejected(sender, instance, user=None, **kwargs):
    queue_workflow_event("rejected", instance, user)


@receiver(workflow_approved, sender=WorkflowState, dispatch_uid="editorial.workflow_approved")
def queue_workflow_approved(sender, instance, user=None, **kwargs):
    queue_workflow_event("approved", instance, user)


@receiver(post_save, sender=HomePage, dispatch_uid="editorial.home_saved")
def home_saved(sender, instance, created, **kwargs):
    """Every language's home page gets the review workflow, so a Welsh translation goes
    through the same safeguarding review and publication approval as the English."""
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()
    if workflow is not None and not WorkflowPage.objects.filter(page_id=instance.pk).exists():
        WorkflowPage.objects.create(page_id=instance.pk, workflow=workflow)


@receiver(post_save, sender=GuidanceSectionPage, dispatch_uid="editorial.section_saved")
def section_saved(sender, instance, **kwargs):
    ensure_ngo_access(instance.organisation)


@receiver(post_save, sender=Membership, dispatch_uid="editorial.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="editorial.membership_deleted")
def membership_changed(sender, instance, **kwargs):
    sync_user(instance.user)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="editorial.user_groups")
def user_groups_changed(sender, instance, action, **kwargs):
    # Any change to a user's groups (the NGO editor role, or an NGO group removed by a
    # form that sets groups wholesale) is brought back in step; the sync changes
    # nothing when the groups are already right, so it does not recurse.
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, User):
        sync_user(instance)
