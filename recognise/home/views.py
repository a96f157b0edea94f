import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Update when the statement's findings are reviewed.
ACCESSIBILITY_STATEMENT_PREPARED = datetime.date(2026, 11, 26)


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers and uptime monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
