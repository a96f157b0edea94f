"""A background worker killed in the middle of a task leaves nothing half-done, and the
task is done, once, when a worker runs again.

Each test queues a task on the live site's database (SQLite in a folder, or PostgreSQL
when DATABASE_URL points there), starts a real `manage.py db_worker` with production
settings that stops dead at a chosen point of the task (tests/paused_worker.py), kills
it with SIGKILL, looks at what it left, then runs a worker again until the queue is
empty. TASK_STALLED_AFTER is one second here, so the second worker treats the killed
worker's task as lost at once.
"""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser.server import PROJECT_DIR
from tests.live_http import facts
from tests.shell_process import ShellProcess


class Worker:
    """Runs commands and workers against the live site's database with production settings."""

    def __init__(self, site):
        self.folder = site.folder
        self.mail_dir = site.folder / "worker-mail"
        self.marker = site.folder / "worker-paused"
        key = (site.folder / "openbadges-ed25519.pem").read_text()
        self.env = {
            **site.env,
            "DJANGO_SETTINGS_MODULE": "recognise.settings.production",
            "SECRET_KEY": "not-a-secret-worker-tests-only-" + "x" * 40,
            "OPENBADGES_PRIVATE_KEY": key,
            "EMAIL_URL": f"file://{self.mail_dir}",
            "TASK_STALLED_AFTER": "1",
            "PAUSED_MARKER": str(self.marker),
        }
        self.shell_process = ShellProcess(self.env, site.folder / "worker-shell.log")

    def shell(self, code):
        """Run Python code with the workers' settings; returns what it printed."""
        return self.shell_process.run(code)

    def manage(self, *args):
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def kill_at(self, point, stalled_after="600"):
        """Start a worker that stops at this point of its task, and kill it there. Until
        it is killed, its own task is not stalled in its eyes (stalled_after seconds)."""
        self.marker.unlink(missing_ok=True)
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tests.paused_worker", point],
            cwd=PROJECT_DIR,
            env={**self.env, "TASK_STALLED_AFTER": stalled_after},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 120
        while not self.marker.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"The worker never reached {point}:\n{process.stderr.read().decode()}")
            time.sleep(0.1)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def run_until_done(self):
        time.sleep(1.1)  # the killed worker's task is now older than TASK_STALLED_AFTER
        self.manage("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    def emails_to(self, address):
        if not self.mail_dir.exists():
            return 0
        return sum(f"To: {address}" in path.read_text() for path in self.mail_dir.iterdir())


@pytest.fixture(scope="module")
def workers(live_site):
    """The module's workers and their shell, which stays running between its tests."""
    workers = Worker(live_site)
    yield workers
    workers.shell_process.stop()


@pytest.fixture
def worker(workers):
    yield workers
    # Whatever a failed test left queued is not the next test's business.
    facts(
        workers,
        "from django_tasks_db.models import DBTaskResult\n"
        "result = DBTaskResult.objects.exclude(status='SUCCESSFUL').delete()[0]",
    )


QUEUED = (
    "from django_tasks_db.models import DBTaskResult\n"
    "result = [[t.status, len(t.worker_ids)] for t in DBTaskResult.objects.filter(id=task.id)]"
)


def certificate_without_pdf(worker):
    """A certificate of the demo data whose PDF is not built yet, with the task queued."""
    return facts(
        worker,
        "from certificates.models import Certificate\n"
        "from certificates.tasks import build_certificate_pdf\n"
        "certificate = Certificate.objects.filter(pdf__gt='').order_by('pk').first()\n"
        "certificate.pdf.delete(save=False)\n"
        "Certificate.objects.filter(pk=certificate.pk).update(pdf='')\n"
        "task = build_certificate_pdf.enqueue(str(certificate.pk))\n"
        "result = [str(certificate.pk), task.id]",
    )


def test_a_pdf_half_written_by_a_killed_worker_is_never_kept(worker, live_site):
    certificate_id, task_id = certificate_without_pdf(worker)
    stored = Path(live_site.folder, "private", "certificates")
    pdf = stored / f"{certificate_id}.pdf"

    worker.kill_at("half-written-pdf")
    # The half-written file is on disk, but the certificate does not refer to it.
    assert pdf.exists() and not pdf.read_bytes().rstrip().endswith(b"%%EOF")
    state = facts(
        worker,
        "from certificates.models import Certificate\n"
        "from django_tasks_db.models import DBTaskResult\n"
        f"task = DBTaskResult.objects.get(id={task_id!r})\n"
        f"result = [Certificate.objects.get(pk={certificate_id!r}).pdf.name, task.status]",
    )
    assert state == ["", "RUNNING"]

    worker.run_until_done()

    state = facts(
        worker,
        "from certificates.models import Certificate\n"
        "from django_tasks_db.models import DBTaskResult\n"
        f"task = DBTaskResult.objects.get(id={task_id!r})\n"
        f"result = [Certificate.objects.get(pk={certificate_id!r}).pdf.name, task.status,"
        " len(task.worker_ids)]",
    )
    assert state == [f"certificates/{certificate_id}.pdf", "SUCCESSFUL", 2]
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    # No other copy of this learner's certificate is left in storage.
    assert [path.name for path in stored.iterdir() if path.name.startswith(certificate_id)] == [
        pdf.name
    ]


def certificate_email_queued(worker):
    return facts(
        worker,
        "from certificates.models import Certificate\n"
        "from certificates.tasks import send_certificate_email\n"
        "certificate = Certificate.objects.select_related('user').order_by('-pk').first()\n"
        "Certificate.objects.filter(pk=certificate.pk).update(emailed_at=None)\n"
        "task = send_certificate_email.enqueue(str(certificate.pk))\n"
        "result = [certificate.user.email, task.id]",
    )


def task_state(worker, task_id):
    return facts(
        worker,
        "from django_tasks_db.models import DBTaskResult\n"
        f"task = DBTaskResult.objects.get(id={task_id!r})\n"
        "result = [task.status, len(task.worker_ids)]",
    )


def test_an_email_interrupted_by_a_killed_worker_is_sent_once_later(worker):
    address, task_id = certificate_email_queued(worker)
    before = worker.emails_to(address)

    worker.kill_at("mail-server-answering")
    assert worker.emails_to(address) == before
    assert task_state(worker, task_id) == ["RUNNING", 1]

    worker.run_until_done()
    assert worker.emails_to(address) == before + 1
    assert task_state(worker, task_id) == ["SUCCESSFUL", 2]


def test_an_email_sent_just_before_its_worker_was_killed_is_not_sent_again(worker):
    address, task_id = certificate_email_queued(worker)
    before = worker.emails_to(address)

    worker.kill_at("task-done-but-not-recorded")
    assert worker.emails_to(address) == before + 1
    assert task_state(worker, task_id) == ["RUNNING", 1]

    worker.run_until_done()
    assert worker.emails_to(address) == before + 1
    assert task_state(worker, task_id) == ["SUCCESSFUL", 2]


# The learning figures a course's refresh recomputes (certificate expiry is kept by the
# certificates app as it issues and revokes).
FIGURES = (
    "from courses.models import Enrolment\n"
    "enrolments = Enrolment.objects.filter(course__path=path).order_by('pk')\n"
    "figures = [[e.pk, e.items_done, e.attempted, str(e.best_score)] for e in enrolments]\n"
)


def test_figures_refreshed_by_a_killed_worker_are_consistent_and_finished_later(worker):
    course_path, right = facts(
        worker,
        "from courses.models import CoursePage, Enrolment\n"
        "path = Enrolment.objects.order_by('pk').first().course.path\n"
        + FIGURES
        + "result = [path, figures]",
    )
    task_id = facts(
        worker,
        f"path = {course_path!r}\n"
        "from courses.models import Enrolment\n"
        "from learning.tasks import refresh_course_figures\n"
        # Figures gone stale, as they would be after an editor published a new lesson.
        "Enrolment.objects.filter(course__path=path).update(items_done=0, attempted=False,"
        " best_score=None)\n"
        "result = refresh_course_figures.enqueue(path).id",
    )
    stale = [[pk, 0, False, "None"] for pk, *_ in right]

    worker.kill_at("figures-being-refreshed")
    # Either every enrolment's figures were recomputed or none were.
    assert facts(worker, f"path = {course_path!r}\n" + FIGURES + "result = figures") in (
        stale,
        right,
    )
    assert task_state(worker, task_id) == ["RUNNING", 1]

    worker.run_until_done()
    assert facts(worker, f"path = {course_path!r}\n" + FIGURES + "result = figures") == right
    assert task_state(worker, task_id) == ["SUCCESSFUL", 2]


def test_a_task_that_keeps_killing_its_worker_is_given_up(worker):
    address, task_id = certificate_email_queued(worker)
    before = worker.emails_to(address)
    for _run in range(3):
        # Each new worker takes the task its killed predecessor left.
        worker.kill_at("mail-server-answering", stalled_after="1")
        time.sleep(1.1)
    worker.run_until_done()
    # Three workers took it and died; the fourth marks it failed instead of dying too.
    assert task_state(worker, task_id) == ["FAILED", 3]
    assert worker.emails_to(address) == before


# A trainer's assignment to a cohort (cohorts.jobs) is saved batch by batch: a worker
# killed half-way leaves the first batch enrolled, and the next worker enrols the rest.
COHORT_ASSIGNED = (
    "import datetime\n"
    "from accounts.models import User\n"
    "from cohorts.jobs import start_assignment\n"
    "from cohorts.models import Cohort, CohortMember\n"
    "from courses.models import CoursePage\n"
    "trainer = User.objects.get(email='trainer@example.org')\n"
    "cohort = Cohort.objects.create(organisation=trainer.organisations.first(),"
    " name='Night shift, worker test')\n"
    "User.objects.bulk_create(User(email=f'night-shift-{n}@example.org',"
    " display_name=f'Officer {n}') for n in range(12))\n"
    "CohortMember.objects.bulk_create(CohortMember(cohort=cohort, user=user) for user in"
    " User.objects.filter(email__startswith='night-shift-'))\n"
    "course = CoursePage.objects.live().filter(prerequisites__isnull=False).first()\n"
    "job = start_assignment(cohort, [course], datetime.date.today()"
    " + datetime.timedelta(days=30), None, trainer)\n"
    "result = [job.pk, course.pk, course.prerequisites.live().count()]"
)


def assignment_state(worker, job_id):
    return facts(
        worker,
        "from django.db.models import Count\n"
        "from cohorts.models import TrainerJob\n"
        "from courses.models import Enrolment\n"
        f"job = TrainerJob.objects.get(pk={job_id})\n"
        "enrolments = Enrolment.objects.filter(user__email__startswith='night-shift-')\n"
        "twice = enrolments.values('user', 'course').annotate(n=Count('pk')).filter(n__gt=1)\n"
        "result = [job.status, job.done, job.total, enrolments.count(), twice.count()]",
    )


def test_an_assignment_whose_worker_was_killed_half_way_enrols_everyone_once(worker):
    job_id, _course_id, prerequisites = facts(worker, COHORT_ASSIGNED)

    worker.kill_at("assignment-after-first-batch")
    # The first batch of five is enrolled (in the course and what comes first).
    assert assignment_state(worker, job_id) == ["running", 5, 12, 5 * (1 + prerequisites), 0]

    worker.run_until_done()
    assert assignment_state(worker, job_id) == ["done", 12, 12, 12 * (1 + prerequisites), 0]
