"""Error reports to Sentry, or a service that speaks its protocol, when SENTRY_DSN is set.

Reports never carry personal data. sentry-sdk is told to collect none (DATA_COLLECTION,
the successor to its deprecated send_default_pii=False, and stricter: no request bodies
and no local variables, which can hold what a person typed), and scrub() removes
whatever could still name or locate a person and masks tokens and codes in addresses.
Each report is tagged with the request's reference, the one printed on the error page
and in the X-Request-ID header, so a report a person quotes can be found.
"""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from core.request_ids import current_request_id
from core.url_secrets import mask_secrets

# Request headers that can hold an address, a session or a credential.
DROPPED_HEADERS = {
    "cookie",
    "authorization",
    "x-forwarded-for",
    "x-real-ip",
    "forwarded",
    "true-client-ip",
    "cf-connecting-ip",
}


# https://docs.sentry.io/platforms/python/data-management/data-collected/
DATA_COLLECTION = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {
        "request": {"mode": "denylist", "terms": sorted(DROPPED_HEADERS) + ["-ip", "via"]}
    },
    "http_bodies": [],
    "url_query_params": {"mode": "denylist", "terms": ["code", "token", "key"]},
    "database_query_data": False,
    "queues": False,
    "stack_frame_variables": False,
    "graphql": {"document": False, "variables": False},
    "gen_ai": {"inputs": False, "outputs": False},
}


def scrub(event, hint=None):
    """The report with personal data removed and the request's reference added."""
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    user = event.get("user")
    if user:
        event["user"] = {"id": user["id"]} if user.get("id") else {}
    request = event.get("request")
    if request:
        for key in ("url", "query_string"):
            if isinstance(request.get(key), str):
                request[key] = mask_secrets(request[key])
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: mask_secrets(value) if isinstance(value, str) else value
                for name, value in headers.items()
                if name.lower() not in DROPPED_HEADERS
            }
        request.pop("cookies", None)
        request.pop("env", None)
        request.pop("data", None)
    logentry = event.get("logentry")
    if logentry:
        for key in ("message", "formatted"):
            if isinstance(logentry.get(key), str):
                logentry[key] = mask_secrets(logentry[key])
    for breadcrumb in (event.get("breadcrumbs") or {}).get("values", []):
        if isinstance(breadcrumb.get("message"), str):
            breadcrumb["message"] = mask_secrets(breadcrumb["message"])
    return event


def start_error_reporting(dsn, *, environment=None, release=None):
    """Send unhandled errors and ERROR log lines to the service at dsn."""
    return sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        data_collection=DATA_COLLECTION,
        environment=environment or "production",
        release=release or None,
        before_send=scrub,
    )
