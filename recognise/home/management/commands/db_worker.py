"""django-tasks-db's worker, which also recovers tasks whose worker died.

When it starts, and every minute while it runs, it queues again the tasks left running
by a worker that was killed (core/stalled_tasks.py). This command takes the place
of the library's own `db_worker`, with the same options, because the site's apps come
before django_tasks_db in INSTALLED_APPS.
"""

import logging
import threading

from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as LibraryWorkerCommand

from core.stalled_tasks import requeue_stalled_tasks

logger = logging.getLogger(__name__)


def keep_recovering(stop, every):
    while not stop.wait(every):
        try:
            requeue_stalled_tasks()
        except Exception:  # a database that is away for a while: try again next time
            logger.exception("Could not look for stalled tasks")
        finally:
            # Only this thread's connection; the worker's own are untouched.
            connections.close_all()


class Command(LibraryWorkerCommand):
    help = "Run a database background worker that also recovers tasks left by dead workers"

    def handle(self, *args, **options):
        # First at once, so that even a --batch run picks up what a dead worker left.
        requeue_stalled_tasks()
        stop = threading.Event()
        every = min(60, settings.TASK_STALLED_AFTER)
        threading.Thread(target=keep_recovering, args=(stop, every), daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
