"""Error reports to Sentry, or a service that speaks its protocol, when SENTRY_DSN is set.

Reports never carry personal data: sentry-sdk's own personal-data sending is off, and
before_send below removes what could still name or locate a person (user details other
than the id, addresses in forwarded headers, cookies) and masks tokens and codes in
addresses. Each report is tagged with the request's reference, the one printed on the
error page and in the X-Request-ID header, so a report a person quotes can be found.
"""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from recognise.request_ids import current_request_id
from recognise.url_secrets import mask_secrets

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
        send_default_pii=False,
        environment=environment or "production",
        release=release or None,
        before_send=scrub,
    )
