"""With SENTRY_DSN set, an unhandled error is reported with the request's reference and
no personal data, to a service that speaks Sentry's protocol (here a local one)."""

import gzip
import json
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import brotli
import pytest
import sentry_sdk
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory

from core.error_reporting import start_error_reporting
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db

CLIENT_ADDRESS = "203.0.113.9"
FORWARDED_ADDRESS = "198.51.100.7"


class ReportCollector(BaseHTTPRequestHandler):
    """Keeps the body of every envelope posted to it."""

    received = None

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            # Sentry's SDK compresses with Brotli whenever the module is installed.
            body = brotli.decompress(body)
        self.received.append(body.decode())
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def report_service():
    """A local error-reporting service; yields its DSN and the envelopes it received."""
    received = []
    handler = type("Collector", (ReportCollector,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    dsn = f"http://publickey@127.0.0.1:{server.server_address[1]}/42"
    try:
        yield dsn, received
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)
        server.shutdown()
        server.server_close()


def events(envelopes):
    """The error events in the envelopes: each envelope is lines of JSON, and an event
    item's payload is the line after its header."""
    found = []
    for envelope in envelopes:
        lines = envelope.splitlines()
        for header, payload in zip(lines[1:], lines[2:], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


def served_by_the_wsgi_application(path, client=None, **environ):
    """The response gunicorn would get for a GET of path: through Django's WSGI handler,
    which error reporting wraps, as the signed-in person of client if one is given."""
    if client is not None:
        environ["HTTP_COOKIE"] = client.cookies.output(header="", sep=";").strip()
    environ = RequestFactory().get(path, **environ).environ
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = int(status.split()[0])
        started["headers"] = dict(headers)

    # As Django's test client does: the test's database transaction stays open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(WSGIHandler()(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    sentry_sdk.flush(timeout=5)
    return started["status"], started["headers"], body.decode()


def test_an_error_is_reported_with_the_request_id_and_no_personal_data(report_service, learner):
    dsn, received = report_service
    start_error_reporting(dsn, environment="pilot", release="2026.12")
    client = Client()
    sign_in(client, learner.email)

    def fail_holding_personal_data(request, *args, **kwargs):
        email = request.user.email  # a local variable a report must not carry
        raise RuntimeError(f"broken for user {request.user.pk} ({len(email)} characters)")

    with mock.patch("recognise.home.views.render", side_effect=fail_holding_personal_data):
        status, headers, page = served_by_the_wsgi_application(
            "/en/accessibility/",
            client,
            REMOTE_ADDR=CLIENT_ADDRESS,
            HTTP_X_FORWARDED_FOR=FORWARDED_ADDRESS,
        )
    assert status == 500
    assert headers["X-Request-ID"] in page

    (event,) = [event for event in events(received) if event.get("exception")]
    assert event["tags"]["request_id"] == headers["X-Request-ID"]
    assert event["environment"] == "pilot"
    assert event["release"] == "2026.12"
    assert event["exception"]["values"][-1]["value"] == (
        f"broken for user {learner.pk} ({len(learner.email)} characters)"
    )
    assert event["request"]["url"] == "http://testserver/en/accessibility/"
    assert event.get("user", {}).keys() <= {"id"}
    everything = "\n".join(received)
    for personal in (learner.email, learner.display_name, CLIENT_ADDRESS, FORWARDED_ADDRESS):
        assert personal not in everything
    assert client.cookies["sessionid"].value not in everything


def test_addresses_in_reports_have_their_tokens_masked(report_service, learner):
    dsn, received = report_service
    start_error_reporting(dsn)
    client = Client()
    sign_in(client, learner.email)
    with mock.patch("cohorts.views.render", side_effect=RuntimeError("broken")):
        status, _, _ = served_by_the_wsgi_application(
            "/en/cohorts/join/Inv1tat10nT0kenSecret/?code=ABCD-EFGH", client
        )
    assert status == 500

    (event,) = [event for event in events(received) if event.get("exception")]
    assert event["request"]["url"] == "http://testserver/en/cohorts/join/[masked]/"
    assert "Inv1tat10nT0kenSecret" not in "\n".join(received)
    assert "ABCD-EFGH" not in "\n".join(received)
