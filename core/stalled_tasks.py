"""Background tasks whose worker died while running them.

A worker that is killed (SIGKILL, out of memory, a lost machine) leaves its task marked
RUNNING in django-tasks-db's queue, and no worker looks at it again. Such a task goes
back into the queue once it has been running for longer than TASK_STALLED_AFTER
seconds, far longer than any task of ours takes, and is given up (marked failed) after
MAX_RUNS workers have taken it, so a task that kills its worker cannot do so for ever.
Tasks are written so that running one again is safe: each finishes its work in one
transaction, or checks what is already done.
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

MAX_RUNS = 3


class WorkerLost(Exception):
    """The task's worker stopped without finishing it, as often as it may."""


def requeue_stalled_tasks(now=None):
    """Queue again, or give up, every task running for too long; returns how many of
    each. Each change is conditional on the task not having moved on meanwhile."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.TASK_STALLED_AFTER)
    requeued = given_up = 0
    for task in DBTaskResult.objects.running().filter(started_at__lt=cutoff):
        unchanged = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) < MAX_RUNS:
            requeued += unchanged.update(status=TaskResultStatus.READY, started_at=None)
            logger.warning("Task %s (%s) stalled; queued again", task.pk, task.task_path)
            continue
        given_up += unchanged.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{__name__}.{WorkerLost.__qualname__}",
            traceback=f"Its worker stopped without finishing it {len(task.worker_ids)} times.",
        )
        logger.error("Task %s (%s) stalled too often; given up", task.pk, task.task_path)
    return requeued, given_up
