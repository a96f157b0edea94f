"""The one format every log line is written in: plain text, or JSON with LOG_FORMAT=json.

Each line carries the time, level, logger, the request it belongs to and the id of the
signed-in user (never a name, address or IP: the audit log is where those are kept),
then the message, with any token or code in an address masked. The request id and user
id come from a context variable that core.request_ids sets for each request, so
code that logs needs no request in hand.

Only the standard library is imported here: gunicorn's master process formats its own
lines with these classes before Django is loaded.
"""

import datetime
import json
import logging
from contextvars import ContextVar
from dataclasses import dataclass

from core.url_secrets import mask_secrets

NONE = "-"


@dataclass
class LogContext:
    """What a log line says about the request being handled."""

    request_id: str = NONE
    user_id: str = NONE


log_context = ContextVar("recognise_log_context", default=None)


class RequestContextFilter(logging.Filter):
    """Adds request_id and user_id to every record (a dash outside a request).

    Django logs a response's 4xx or 5xx status after the middleware has finished, with
    the request attached to the record; the request keeps its context for that line.
    """

    def filter(self, record):
        request = getattr(record, "request", None)
        context = getattr(request, "log_context", None) or log_context.get() or LogContext()
        record.request_id = getattr(record, "request_id", None) or context.request_id
        record.user_id = getattr(record, "user_id", None) or context.user_id
        return True


def _timestamp(record):
    return (
        datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


class TextFormatter(logging.Formatter):
    """2026-12-04T21:00:00.000Z WARNING django.request request_id=… user_id=42 Not Found: …"""

    def format(self, record):
        for name in ("request_id", "user_id"):
            if not hasattr(record, name):
                setattr(record, name, NONE)
        line = (
            f"{_timestamp(record)} {record.levelname} {record.name} "
            f"request_id={record.request_id} user_id={record.user_id} {record.getMessage()}"
        )
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return mask_secrets(line)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors that index fields."""

    def format(self, record):
        entry = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", NONE),
            "user_id": getattr(record, "user_id", NONE),
            "message": mask_secrets(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = mask_secrets(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = mask_secrets(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


FORMATTERS = {"text": TextFormatter, "json": JsonFormatter}


def formatter(log_format="text"):
    """The formatter LOG_FORMAT names (text or json); used as a dictConfig factory."""
    try:
        return FORMATTERS[(log_format or "text").strip().lower()]()
    except KeyError:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATTERS)}.") from None
