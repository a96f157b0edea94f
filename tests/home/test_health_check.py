"""/healthz reports the database, the cache and the task queue apart, and answers 503
when any one of them fails, so a load balancer or monitor knows what is wrong."""

import datetime

import pytest
from django.db import OperationalError, connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

pytestmark = pytest.mark.django_db

ALL_WELL = {
    "status": "ok",
    "database": "ok",
    "cache": "ok",
    "task_queue": "ok",
    "oldest_waiting_task_seconds": 0,
}


def waiting_task(waited, status="READY", run_after=None):
    """A task in the database queue that was enqueued `waited` ago."""
    task = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": ["x"], "kwargs": {}},
        task_path="certificates.tasks.build_certificate_pdf",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - waited)
    return task


def test_reports_each_part_when_all_is_well(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == ALL_WELL


def test_a_database_error_answers_503(client):
    def database_down(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(database_down):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "unavailable"
    assert body["task_queue"] == "unavailable"


def test_a_cache_that_cannot_be_reached_answers_503(client):
    unreachable = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            # Nothing listens on port 1.
            "LOCATION": "redis://127.0.0.1:1/7",
        }
    }
    with override_settings(CACHES=unreachable):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        **ALL_WELL,
        "status": "error",
        "cache": "unavailable",
    }


@override_settings(HEALTHZ_TASK_QUEUE_MAX_AGE=600)
def test_a_task_waiting_longer_than_the_threshold_answers_503(client):
    waiting_task(datetime.timedelta(minutes=3))
    waiting_task(datetime.timedelta(minutes=11))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["task_queue"] == "behind"
    assert 11 * 60 <= body["oldest_waiting_task_seconds"] < 12 * 60
    assert body["database"] == body["cache"] == "ok"


@override_settings(HEALTHZ_TASK_QUEUE_MAX_AGE=600)
def test_tasks_being_run_finished_or_not_yet_due_do_not_count(client):
    waiting_task(datetime.timedelta(minutes=2))
    waiting_task(datetime.timedelta(hours=2), status="RUNNING")
    waiting_task(datetime.timedelta(hours=2), status="SUCCESSFUL")
    # Enqueued long ago to run later: not yet waiting for a worker.
    waiting_task(
        datetime.timedelta(hours=2), run_after=timezone.now() + datetime.timedelta(hours=1)
    )
    # Due a minute ago: has waited a minute, not the two hours since it was enqueued.
    waiting_task(
        datetime.timedelta(hours=2), run_after=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["task_queue"] == "ok"
    assert 2 * 60 <= response.json()["oldest_waiting_task_seconds"] < 3 * 60
