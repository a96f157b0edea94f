"""The real server the browser tests drive: gunicorn on a database of its own.

The database is built once per test session (migrations and the demo data), on SQLite in
the session's folder, or on PostgreSQL when DATABASE_URL points there (as in CI), in a
database named after the test database with a "_browser" suffix.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dj_database_url
import psycopg

from tests.shell_process import ShellProcess

PROJECT_DIR = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = "recognise.settings.browser"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def browser_database_url(suffix="_browser"):
    """A PostgreSQL URL for the server's own database, or "" to use SQLite in VAR_DIR.
    Each process of a parallel run (pytest-xdist names them gw0, gw1, ...) has its own."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return ""
    if worker := os.environ.get("PYTEST_XDIST_WORKER"):
        suffix += f"_{worker}"
    return url.rsplit("/", 1)[0] + f"/{dj_database_url.parse(url)['NAME']}{suffix}"


def create_empty_database(url):
    config = dj_database_url.parse(url)
    admin = psycopg.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


class SiteServer:
    """Prepares the database, starts gunicorn and stops it at the end of the session."""

    def __init__(self, folder, database_suffix="_browser"):
        self.folder = Path(folder)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.mail_dir = self.folder / "mail"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "VAR_DIR": str(self.folder),
            "DATABASE_URL": browser_database_url(database_suffix),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "WAGTAILADMIN_BASE_URL": self.base_url,
            "PYTHONUNBUFFERED": "1",
        }
        if not self.env["DATABASE_URL"]:
            del self.env["DATABASE_URL"]
        self.process = None
        self.log_path = self.folder / "gunicorn.log"
        self.shell_process = ShellProcess(self.env, self.folder / "shell.log")

    def manage(self, *args):
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def shell(self, code):
        """Run Python code on this site's database, as `manage.py shell -c` would, in a
        shell kept running for the session; returns what the code printed."""
        return self.shell_process.run(code)

    def is_prepared(self):
        return (self.folder / "prepared").exists()

    def prepare(self, prepared_folder=None):
        """Migrate the database and load the demo data. On SQLite, a folder another
        server prepared the same way can be copied instead, which takes a moment."""
        if prepared_folder is not None and "DATABASE_URL" not in self.env:
            shutil.copytree(
                prepared_folder,
                self.folder,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("*.log", "mail"),
            )
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if "DATABASE_URL" in self.env:
            create_empty_database(self.env["DATABASE_URL"])
        self.manage("migrate", "--no-input")
        self.manage("load_demo_data")
        # Learners retake assessments straight away in the journeys; the wait between
        # attempts has its own tests.
        self.manage(
            "shell",
            "-c",
            "from quizzes.models import AssessmentPage; "
            "AssessmentPage.objects.update(cooldown_minutes=0)",
        )
        (self.folder / "prepared").touch()

    def create_learner(self, email, display_name, password):
        """A verified learner account, made the way the demo loader makes its own."""
        self.shell(
            "from allauth.account.models import EmailAddress\n"
            "from django.contrib.auth.models import Group\n"
            "from accounts.models import User\n"
            f"user = User.objects.create_user(email={email!r}, password={password!r},"
            f" display_name={display_name!r})\n"
            "user.groups.add(Group.objects.get(name='Learner'))\n"
            "EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)",
        )

    def start(self, workers=1, threads=4):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "recognise.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "60",
            ],
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"The test server did not start:\n{self.log_path.read_text()}")

    def stop(self):
        self.shell_process.stop()
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.process:
            self.log.close()
