"""A real Learning Record Store for the xAPI tests: Ralph, with its file-system backend
in a temporary folder, on a free local port, answering to one key and secret."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from base64 import b64encode
from pathlib import Path

import bcrypt
import pytest

from xapi.models import LearningRecordStore

ROOT = Path(__file__).resolve().parents[2]
KEY = "recognise"
SECRET = "a-long-lrs-secret"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Ralph:
    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.process = None
        auth_file = folder / "auth.json"
        hashed = bcrypt.hashpw(SECRET.encode(), bcrypt.gensalt(rounds=4)).decode()
        user = {"username": KEY, "hash": hashed, "scopes": ["all"]}
        user["agent"] = {"mbox": "mailto:lrs-admin@example.org"}
        auth_file.write_text(json.dumps([user]))
        self.env = {
            **os.environ,
            "RALPH_APP_DIR": str(folder),
            "RALPH_AUTH_FILE": str(auth_file),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "statements"),
            "RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH": str(folder / "statements"),
        }

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def start(self):
        log = (self.folder / "ralph.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.xapi.ralph_server", str(self.port)],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__lbheartbeat__", timeout=2)
                return
            except (urllib.error.URLError, OSError):
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("Ralph did not start:\n" + (self.folder / "ralph.log").read_text())

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def get(self, path, **params):
        query = urllib.parse.urlencode(params)
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/xAPI/{path}?{query}",
            headers={
                "Authorization": "Basic " + b64encode(f"{KEY}:{SECRET}".encode()).decode(),
                "X-Experience-API-Version": "1.0.3",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (local Ralph)
            return json.load(response)

    def statements_about(self, user):
        """What the LRS serves back about the learner, in the order it happened."""
        agent = json.dumps({"mbox": f"mailto:{user.email}"})
        found = self.get("statements", agent=agent)["statements"]
        return sorted(found, key=lambda statement: (statement["timestamp"], statement["stored"]))


@pytest.fixture(scope="session")
def ralph(tmp_path_factory):
    server = Ralph(tmp_path_factory.mktemp("ralph"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def running_ralph(ralph):
    """Ralph, started again if a test stopped it."""
    if ralph.process is None:
        ralph.start()
    return ralph


@pytest.fixture
def lrs_of(running_ralph):
    """Give an organisation an enabled LRS: the local Ralph, with the right credentials."""

    def give(organisation, **fields):
        values = {"endpoint": running_ralph.endpoint, "key": KEY, "secret": SECRET}
        values.update(fields)
        return LearningRecordStore.objects.create(organisation=organisation, **values)

    return give
