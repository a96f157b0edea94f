"""Every request has a reference: in the X-Request-ID header, on the error page, and on
every log line about it, with the signed-in user's id and nothing else that names them;
tokens and codes in addresses are masked in the log."""

import copy
import io
import json
import logging.config
import re
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.utils import translation

from core.log_format import formatter
from recognise.settings import base
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db

SECRET_TOKEN = "Inv1tat10nT0kenSecret"


@pytest.fixture
def site_log():
    """The site's production logging, written to a buffer; log_format picks text or json."""
    written = io.StringIO()

    def configure(log_format="text"):
        config = copy.deepcopy(base.LOGGING)
        config["formatters"]["site"]["log_format"] = log_format
        config["handlers"]["console"]["stream"] = written
        logging.config.dictConfig(config)
        return written

    yield configure
    logging.config.dictConfig(django_settings.LOGGING)


def test_every_response_has_its_own_request_id(client):
    first = client.get("/en/")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert re.fullmatch(r"[0-9a-f]{32}", second)
    assert first != second


def test_a_plain_request_id_from_the_proxy_is_kept(client):
    response = client.get("/en/", headers={"X-Request-ID": "edge-7f3a-0042"})
    assert response["X-Request-ID"] == "edge-7f3a-0042"


@pytest.mark.parametrize(
    "incoming",
    ["two words", "id\r\nX-Injected: 1", "<script>", "é-accent", "a" * 65, ""],
)
def test_any_other_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/en/", headers={"X-Request-ID": incoming})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "If you contact us about this, quote this reference:"),
        ("cy", "Os byddwch yn cysylltu â ni am hyn, dyfynnwch y cyfeirnod hwn:"),
    ],
)
def test_the_error_page_shows_the_reference_to_quote(language, sentence):
    client = Client(raise_request_exception=False)
    with mock.patch("recognise.home.views.render", side_effect=RuntimeError("broken")):
        response = client.get(f"/{language}/accessibility/")
    translation.activate("en")
    assert response.status_code == 500
    reference = response["X-Request-ID"]
    page = response.content.decode()
    assert f"{sentence} <code>{reference}</code>" in page


def test_log_lines_carry_the_request_and_user_ids_and_mask_the_token(client, learner, site_log):
    sign_in(client, learner.email)
    written = site_log("text")
    response = client.get(f"/en/cohorts/join/{SECRET_TOKEN}/")
    assert response.status_code == 400
    lines = written.getvalue().splitlines()
    line = next(line for line in lines if " django.request " in line)
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARNING django\.request "
        rf"request_id={response['X-Request-ID']} user_id={learner.pk} "
        r"Bad Request: /en/cohorts/join/\[masked\]/",
        line,
    )
    log = written.getvalue()
    assert SECRET_TOKEN not in log
    assert learner.email not in log
    assert "127.0.0.1" not in log


def test_log_format_json_writes_one_object_per_line(client, learner, site_log):
    sign_in(client, learner.email)
    written = site_log("json")
    response = client.get("/cy/verify/ABCD-EFGH-JKMN-PQRS/")
    entries = [json.loads(line) for line in written.getvalue().splitlines()]
    entry = next(entry for entry in entries if entry["logger"] == "django.request")
    assert entry["level"] == "WARNING"
    assert entry["request_id"] == response["X-Request-ID"]
    assert entry["user_id"] == str(learner.pk)
    assert entry["message"] == "Not Found: /cy/verify/[masked]/"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["time"])
    assert "ABCD-EFGH-JKMN-PQRS" not in written.getvalue()
    assert learner.email not in written.getvalue()


def test_lines_logged_while_a_view_runs_carry_its_request_id(client, site_log):
    written = site_log("json")
    unreachable = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/7",
        }
    }
    with override_settings(CACHES=unreachable):
        response = client.get("/healthz")
    entries = [json.loads(line) for line in written.getvalue().splitlines()]
    warning = next(entry for entry in entries if entry["logger"] == "recognise.home.views")
    assert warning["message"] == "Health check: the cache failed: ConnectionError"
    assert warning["request_id"] == response["X-Request-ID"]
    assert warning["user_id"] == "-"


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ValueError, match="LOG_FORMAT must be one of text, json"):
        formatter("xml")


def test_the_development_servers_request_lines_are_masked_too(site_log):
    written = site_log("text")
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /en/cohorts/join/{SECRET_TOKEN}/ HTTP/1.1", "200", "1043"
    )
    (line,) = written.getvalue().splitlines()
    assert line.endswith(
        " INFO django.server request_id=- user_id=- "
        '"GET /en/cohorts/join/[masked]/ HTTP/1.1" 200 1043'
    )
