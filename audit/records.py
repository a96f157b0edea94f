"""Writing audit events, and keeping what people typed from forging log lines.

record() stores an event and writes the same line to the "audit" logger.
Anything that came from a person (an email typed at a failed sign-in, a name) goes
through clean() first: line breaks and other control or invisible formatting
characters are written out as escapes, so one event is always one line and text
cannot run right-to-left over what follows it.
"""

import contextlib
import logging
import unicodedata
from contextvars import ContextVar

from core.client_address import client_address

from .models import AuditEvent

logger = logging.getLogger("audit")

_current_request = ContextVar("recognise_audit_request", default=None)
_quiet_users = ContextVar("recognise_audit_quiet_users", default=frozenset())

# Unicode categories that are not visible text: controls, formatting (including
# bidirectional overrides), surrogates, private use, unassigned, line and paragraph
# separators.
HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}

# Written where an actor is not a signed-in person.
NOBODY = "Anonymous visitor"
SYSTEM = "System"

# Stand-in for "whoever is signed in on the current request".
CURRENT_USER = object()


def clean(value, max_length=None):
    """The text with every hidden character escaped, cut to max_length."""
    text = "" if value is None else str(value)
    escaped = []
    for character in text:
        if character in NAMED_ESCAPES:
            escaped.append(NAMED_ESCAPES[character])
        elif unicodedata.category(character) in HIDDEN_CATEGORIES:
            code = ord(character)
            escaped.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            escaped.append(character)
    result = "".join(escaped)
    if max_length is not None and len(result) > max_length:
        result = result[: max_length - 1] + "…"
    return result


def clean_data(value):
    """Details for an event, with every string in them cleaned like the message."""
    if isinstance(value, dict):
        return {clean(key, 100): clean_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_data(item) for item in value]
    if isinstance(value, str):
        return clean(value, 2000)
    return value


def user_label(user):
    """How an account is named in the log: display name and email address."""
    if user is None:
        return SYSTEM
    name = (getattr(user, "display_name", "") or "").strip()
    email = getattr(user, "email", "") or ""
    return f"{name} <{email}>" if name else email or f"user {user.pk}"


def current_request():
    return _current_request.get()


@contextlib.contextmanager
def request_context(request):
    """Make the request being handled known to signal receivers further down."""
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


@contextlib.contextmanager
def quiet_about(user):
    """Record nothing that names this user while their account is being erased; the
    erasure itself is recorded once, without their details."""
    token = _quiet_users.set(_quiet_users.get() | {user.pk})
    try:
        yield
    finally:
        _quiet_users.reset(token)


def is_quiet_about(user_id):
    return user_id in _quiet_users.get()


def record(
    action,
    message,
    *,
    actor=CURRENT_USER,
    actor_label=None,
    request=None,
    data=None,
    with_address=True,
    one_query=False,
):
    """Store one audit event and log the same line. Returns the event.

    actor: the user who acted; by default whoever is signed in on the current request
    (None for no one). actor_label: how to name them when that is not their account's
    name and address (for example what was typed at a failed sign-in). with_address:
    False leaves out the client's IP address (an erased account's last request).
    one_query: store the event with one INSERT and no save signals (Wagtail's reference
    index reads it back after each save), for events recorded on every request.
    """
    event = new_event(action, message, actor, actor_label, request, data, with_address)
    if one_query:
        AuditEvent.objects.bulk_create([event])
    else:
        event.save(force_insert=True)
    log_event(event)
    return event


def new_event(action, message, actor, actor_label, request, data, with_address=True):
    """The event record() stores, unsaved."""
    request = request if request is not None else current_request()
    if actor is CURRENT_USER:
        user = getattr(request, "user", None) if request is not None else None
        actor = user if user is not None and user.is_authenticated else None
    if actor_label is None:
        if actor is not None:
            actor_label = user_label(actor)
        else:
            actor_label = NOBODY if request is not None else SYSTEM
    return AuditEvent(
        action=action,
        actor=actor,
        actor_label=clean(actor_label, 300),
        message=clean(message, 500),
        ip_address=client_address(request) if with_address else None,
        data=clean_data(data or {}),
    )


def log_event(event):
    logger.info(
        "%s by %s from %s: %s",
        event.action,
        event.actor_label,
        event.ip_address or "-",
        event.message,
    )


def record_many(entries, *, actor=CURRENT_USER):
    """Store many events of one actor with one INSERT (no save signals), as record()
    would one by one: entries are (action, message, data)."""
    request = current_request()
    events = [
        new_event(action, message, actor, None, request, data) for action, message, data in entries
    ]
    AuditEvent.objects.bulk_create(events)
    for event in events:
        log_event(event)
    return events
