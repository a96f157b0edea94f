import datetime
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Case, F, Min, When
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

HEALTH_CACHE_KEY = "healthz"

# Update when the statement's findings are reviewed.
ACCESSIBILITY_STATEMENT_PREPARED = datetime.date(2026, 11, 26)


def _database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache_answers():
    # A fresh value each time, so an old entry cannot pass for a working cache.
    value = uuid.uuid4().hex
    cache.set(HEALTH_CACHE_KEY, value, 30)
    if cache.get(HEALTH_CACHE_KEY) != value:
        raise ConnectionError("the cache did not return what was stored")


def _oldest_waiting_task_seconds():
    """Seconds the oldest task ready to run has waited for a worker (0 when none)."""
    # A task made to wait (run_after) has waited only since it became ready.
    waiting_since = (
        DBTaskResult.objects.ready()
        .annotate(
            since=Case(
                When(run_after=get_date_max(), then=F("enqueued_at")),
                default=F("run_after"),
            )
        )
        .aggregate(oldest=Min("since"))["oldest"]
    )
    if waiting_since is None:
        return 0
    return max(0, int((timezone.now() - waiting_since).total_seconds()))


@never_cache
@require_GET
def healthz(request):
    """The database, the cache and the task queue, each checked and reported apart, for
    load balancers and uptime monitors: 503 when any one fails. Three small queries and
    two cache round trips, so it may be polled often."""
    checks = {}
    failed = False
    for name, check in (("database", _database_answers), ("cache", _cache_answers)):
        try:
            check()
            checks[name] = "ok"
        except Exception as error:  # any failure at all is what the check reports
            logger.warning("Health check: the %s failed: %s", name, type(error).__name__)
            checks[name] = "unavailable"
            failed = True
    try:
        waited = _oldest_waiting_task_seconds()
    except DatabaseError as error:
        logger.warning("Health check: the task queue failed: %s", type(error).__name__)
        checks["task_queue"] = "unavailable"
        failed = True
    else:
        checks["oldest_waiting_task_seconds"] = waited
        if waited > settings.HEALTHZ_TASK_QUEUE_MAX_AGE:
            checks["task_queue"] = "behind"
            failed = True
        else:
            checks["task_queue"] = "ok"
    return JsonResponse(
        {"status": "error" if failed else "ok", **checks}, status=503 if failed else 200
    )


@require_GET
def accessibility_statement(request):
    """How accessible the site is, how it is tested and how to report a problem."""
    return render(
        request,
        "home/accessibility_statement.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "prepared_on": ACCESSIBILITY_STATEMENT_PREPARED,
        },
    )
