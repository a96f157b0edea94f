"""A database worker that stops dead at a chosen point of its task, for tests that kill
it there: `python -m tests.paused_worker <point>`. It touches PAUSED_MARKER when it gets
there, then waits for the test to kill it."""

import os
import sys
import time
from pathlib import Path
from unittest import mock

from django.core.files.base import ContentFile


def wait_to_be_killed():
    Path(os.environ["PAUSED_MARKER"]).touch()
    time.sleep(600)


def half_written_pdf():
    """Storage has written the first half of the PDF file when the worker dies."""

    class HalfWritten(ContentFile):
        def chunks(self, chunk_size=None):
            content = self.file.getvalue()
            yield content[: len(content) // 2]
            wait_to_be_killed()

    return mock.patch("certificates.pdf_files.ContentFile", HalfWritten)


def mail_server_answering():
    """The worker dies while the mail server is taking the message (it never got it)."""

    def send_mail(*args, **kwargs):
        wait_to_be_killed()

    return mock.patch("certificates.tasks.send_mail", send_mail)


def task_done_but_not_recorded():
    """The task's work is done; the worker dies before recording that in the queue."""
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 (Django is set up only in __main__ below)

    def set_successful(self, return_value):
        wait_to_be_killed()

    return mock.patch.object(DBTaskResult, "set_successful", set_successful)


def figures_being_refreshed():
    """The worker dies as it starts to recompute a course's dashboard figures."""
    from learning import progress_summary  # noqa: PLC0415 (Django is set up only in __main__ below)

    real = progress_summary.figures_changed

    def figures_changed(course_path):
        real(course_path)
        wait_to_be_killed()

    return mock.patch.object(progress_summary, "figures_changed", figures_changed)


def assignment_after_first_batch():
    """The worker dies as it starts on a trainer's assignment's second batch of
    learners (batches of 5 here), the first batch saved."""
    from cohorts import jobs  # noqa: PLC0415 (Django is set up only in __main__ below)

    real = jobs.enrol_in_bulk
    batches = []

    def enrol_in_bulk(*args):
        if batches:
            wait_to_be_killed()
        batches.append(args)
        return real(*args)

    return mock.patch.multiple(jobs, BATCH_SIZE=5, enrol_in_bulk=enrol_in_bulk)


POINTS = {
    "half-written-pdf": half_written_pdf,
    "mail-server-answering": mail_server_answering,
    "task-done-but-not-recorded": task_done_but_not_recorded,
    "figures-being-refreshed": figures_being_refreshed,
    "assignment-after-first-batch": assignment_after_first_batch,
}

if __name__ == "__main__":
    import django
    from django.core.management import call_command

    django.setup()
    with POINTS[sys.argv[1]]():
        call_command("db_worker", "--no-startup-delay", "--interval", "0.1")
