"""gunicorn, run with the Procfile's config, writes access lines in the site's format with
the request's id and no token, code or client address."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET_TOKEN = "Inv1tat10nT0kenSecret"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def access_lines(log_format):
    """What gunicorn printed while serving two requests that carry secrets."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tests.site.wsgi_echo:application",
            "--config",
            "python:recognise.gunicorn_config",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env={**os.environ, "LOG_FORMAT": log_format},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        for path in (
            f"/en/cohorts/join/{SECRET_TOKEN}/",
            "/cy/verify/?code=ABCD-EFGH-JKMN-PQRS",
        ):
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5).read()  # noqa: S310
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    return [line for line in output.splitlines() if "/en/cohorts/join/" in line or "verify" in line]


def test_access_lines_mask_tokens_and_codes_and_carry_the_request_id():
    lines = access_lines("text")
    assert len(lines) == 2, lines
    join, verify = lines
    assert SECRET_TOKEN not in join
    assert '"GET /en/cohorts/join/[masked]/ HTTP/1.1" 200' in join
    assert "ABCD-EFGH-JKMN-PQRS" not in verify
    assert "code=[masked]" in verify
    for line in lines:
        assert " INFO gunicorn.access request_id=req-echo-1 user_id=- " in line
        assert "127.0.0.1" not in line


def test_access_lines_are_json_objects_with_log_format_json():
    lines = access_lines("json")
    assert len(lines) == 2, lines
    entry = json.loads(lines[0])
    assert entry["logger"] == "gunicorn.access"
    assert entry["level"] == "INFO"
    assert entry["request_id"] == "req-echo-1"
    assert entry["message"].startswith('"GET /en/cohorts/join/[masked]/ HTTP/1.1" 200')
    assert SECRET_TOKEN not in lines[0]
