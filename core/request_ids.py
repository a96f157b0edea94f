"""A reference for every request, so a person reporting a problem and the logs agree.

RequestIdMiddleware (first in MIDDLEWARE, so every response has one, error pages
included) takes the X-Request-ID a proxy in front set, when it is a plain reference,
or makes one; it is returned in the X-Request-ID response header, written on every log
line about the request, printed on the error page and sent with error reports.
LogUserMiddleware (after authentication) adds the signed-in user's id to the log lines.
"""

import re
import uuid

from core.log_format import LogContext, log_context

HEADER = "X-Request-ID"
# Letters, digits and dashes only (a UUID, or what most proxies make), so a client
# cannot write anything else into a log line or page through it.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def current_request_id():
    """The id of the request being handled, or None outside one."""
    context = log_context.get()
    return context.request_id if context is not None else None


def request_id_for(request):
    incoming = request.headers.get(HEADER, "")
    if SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        request.log_context = LogContext(request_id=request.request_id)
        token = log_context.set(request.log_context)
        try:
            response = self.get_response(request)
        finally:
            log_context.reset(token)
        response[HEADER] = request.request_id
        return response


class LogUserMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = getattr(request, "log_context", None)
        user = getattr(request, "user", None)
        if context is not None and user is not None and user.is_authenticated:
            context.user_id = str(user.pk)
        return self.get_response(request)
