"""Signal wiring: workflow emails through background tasks, and NGO access kept in step."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

WORKFLOW_NAME = "Safeguarding review and publication"


def connect():
    from wagtail.models import TaskState, WorkflowState
    from wagtail.signals import (
        task_submitted,
        workflow_approved,
        workflow_rejected,
        workflow_submitted,
    )

    from accounts.models import Membership, User
    from guidance.models import GuidanceSectionPage

    # Wagtail emails reviewers and editors inside the request; ours queue the same
    # messages as background tasks instead.
    for signal, sender, uid in [
        (task_submitted, TaskState, "group_approval_task_submitted_email_notification"),
        (workflow_submitted, WorkflowState, "workflow_state_submitted_email_notification"),
        (workflow_rejected, WorkflowState, "workflow_state_rejected_email_notification"),
        (workflow_approved, WorkflowState, "workflow_state_approved_email_notification"),
    ]:
        signal.disconnect(sender=sender, dispatch_uid=uid)
    task_submitted.connect(
        queue_task_submitted, sender=TaskState, dispatch_uid="editorial.task_submitted"
    )
    workflow_submitted.connect(
        queue_workflow_event("submitted"),
        sender=WorkflowState,
        dispatch_uid="editorial.workflow_submitted",
        weak=False,
    )
    workflow_rejected.connect(
        queue_workflow_event("rejected"),
        sender=WorkflowState,
        dispatch_uid="editorial.workflow_rejected",
        weak=False,
    )
    workflow_approved.connect(
        queue_workflow_event("approved"),
        sender=WorkflowState,
        dispatch_uid="editorial.workflow_approved",
        weak=False,
    )

    post_save.connect(
        section_saved, sender=GuidanceSectionPage, dispatch_uid="editorial.section_saved"
    )
    from recognise.home.models import HomePage

    post_save.connect(home_saved, sender=HomePage, dispatch_uid="editorial.home_saved")
    post_save.connect(
        membership_changed, sender=Membership, dispatch_uid="editorial.membership_saved"
    )
    post_delete.connect(
        membership_changed, sender=Membership, dispatch_uid="editorial.membership_deleted"
    )
    m2m_changed.connect(
        user_groups_changed, sender=User.groups.through, dispatch_uid="editorial.user_groups"
    )


def queue_task_submitted(sender, instance, user=None, **kwargs):
    from .tasks import notify_task_submitted

    user_id = user.pk if user else None
    transaction.on_commit(lambda: notify_task_submitted.enqueue(instance.pk, user_id))


def queue_workflow_event(event):
    def receiver(sender, instance, user=None, **kwargs):
        from .tasks import notify_workflow_event

        user_id = user.pk if user else None
        transaction.on_commit(lambda: notify_workflow_event.enqueue(event, instance.pk, user_id))

    return receiver


def home_saved(sender, instance, created, **kwargs):
    """Every language's home page gets the review workflow, so a Welsh translation goes
    through the same safeguarding review and publication approval as the English."""
    from wagtail.models import Workflow, WorkflowPage

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()
    if workflow is not None and not WorkflowPage.objects.filter(page_id=instance.pk).exists():
        WorkflowPage.objects.create(page_id=instance.pk, workflow=workflow)


def section_saved(sender, instance, **kwargs):
    from .ngo_access import ensure_ngo_access

    ensure_ngo_access(instance.organisation)


def membership_changed(sender, instance, **kwargs):
    from .ngo_access import sync_user

    sync_user(instance.user)


def user_groups_changed(sender, instance, action, **kwargs):
    from accounts.models import User

    from .ngo_access import sync_user

    # Any change to a user's groups (the NGO editor role, or an NGO group removed by a
    # form that sets groups wholesale) is brought back in step; the sync changes
    # nothing when the groups are already right, so it does not recurse.
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, User):
        sync_user(instance)
