"""Workflow and review emails, sent by the worker rather than inside a request."""

from django_tasks import task
from wagtail.admin.signal_handlers import (
    task_submission_email_notifier,
    workflow_approval_email_notifier,
    workflow_rejection_email_notifier,
    workflow_submission_email_notifier,
)
from wagtail.models import TaskState, WorkflowState

from accounts.models import User

from .review import send_due_review_reminders

WORKFLOW_NOTIFIERS = {
    "submitted": workflow_submission_email_notifier,
    "rejected": workflow_rejection_email_notifier,
    "approved": workflow_approval_email_notifier,
}


@task()
def notify_task_submitted(task_state_id, user_id):
    """Email the group that must act on the page's new review step."""
    task_state = TaskState.objects.filter(pk=task_state_id).first()
    if task_state is None:
        return
    user = User.objects.filter(pk=user_id).first()
    task_submission_email_notifier(instance=task_state.specific, user=user)


@task()
def notify_workflow_event(event, workflow_state_id, user_id):
    """Email the page's editor when it is submitted, sent back or approved."""
    workflow_state = WorkflowState.objects.filter(pk=workflow_state_id).first()
    if workflow_state is None:
        return
    user = User.objects.filter(pk=user_id).first()
    WORKFLOW_NOTIFIERS[event](instance=workflow_state, user=user)


@task()
def send_review_reminders():
    """Daily: remind owners of content whose review date has come or is near."""
    return send_due_review_reminders()
