"""What a release does to the running site: its cache is emptied, and the web process
runs with stated gunicorn settings."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import redis
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management import call_command
from django_redis.cache import RedisCache

PROCFILE = Path(django_settings.BASE_DIR) / "Procfile"


def procfile_command(process):
    line = next(
        line for line in PROCFILE.read_text().splitlines() if line.startswith(f"{process}:")
    )
    return line.split(":", 1)[1].strip()


def test_a_release_empties_the_cache_after_migrating():
    release = procfile_command("release")
    steps = [step.strip() for step in release.split("&&")]
    assert steps[0].startswith("python manage.py migrate")
    assert steps[1].startswith("python manage.py clear_cache")


def test_clear_cache_empties_the_database_cache(db):
    cache = caches["default"]
    cache.set("kept-by-the-old-code", "value")
    call_command("clear_cache", stdout=StringIO())
    assert cache.get("kept-by-the-old-code") is None


def test_clear_cache_on_redis_removes_only_the_sites_own_keys(monkeypatch):
    url = f"{django_settings.TEST_REDIS_URL}/9"
    cache = RedisCache(url, {"KEY_PREFIX": "release-test"})
    neighbour = redis.Redis.from_url(url)
    neighbour.set("another-application:key", "kept")
    try:
        cache.set("page:old", "rendered by the old templates")
        assert cache.get("page:old") is not None
        monkeypatch.setattr("recognise.home.management.commands.clear_cache.cache", cache)
        call_command("clear_cache", stdout=StringIO())
        assert cache.get("page:old") is None
        assert neighbour.get("another-application:key") == b"kept"
    finally:
        neighbour.delete("another-application:key")


def gunicorn_settings(environment):
    """The settings gunicorn takes from the Procfile's web command in this environment."""
    command = procfile_command("web").replace("gunicorn", f"{sys.executable} -m gunicorn", 1)
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("GUNICORN_") and key != "WEB_CONCURRENCY"
    }
    environment = {**inherited, "PORT": "0", **environment}

    words = subprocess.run(  # noqa: S603
        ["/bin/sh", "-c", f"printf '%s\\n' {command}"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    printed = subprocess.run(  # noqa: S603
        [word for word in words if word] + ["--print-config"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    ).stdout
    return dict(re.findall(r"^(\w+)\s+= (.*)$", printed, flags=re.M))


def test_the_web_process_states_its_workers_timeouts_and_recycling():
    values = gunicorn_settings({})
    assert (values["workers"], values["timeout"], values["graceful_timeout"]) == ("2", "30", "30")
    assert values["max_requests"] == "1000"
    assert values["max_requests_jitter"] == "100"


def test_an_operator_sets_them_from_the_environment():
    values = gunicorn_settings(
        {"WEB_CONCURRENCY": "4", "GUNICORN_TIMEOUT": "45", "GUNICORN_MAX_REQUESTS": "500"}
    )
    assert (values["workers"], values["timeout"], values["max_requests"]) == ("4", "45", "500")
