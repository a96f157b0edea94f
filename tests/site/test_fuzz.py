"""No input makes the site answer 5xx: generated strings sent to every URL the access
matrix knows (tests/site/test_access_matrix.py), as each of its actors.

For each row of the matrix and each actor, each example sends, as that actor:

  - the URL with the usual parameters (q, sector, topic, page, sort, next, order, ...)
    set to generated strings; the page it answers (or, if that is not the page, the
    page asked for plainly) tells which forms it renders and which parameters its
    links to itself carry, and if those are new the URL is asked for again with them;
  - each form found (once per form and actor, whichever page showed it first), every
    field set to a generated string, by the form's own method;
  - for the matrix's POST rows, the row's data with every field generated.

Actors the matrix says are refused get the first request only: they are turned away
before the view reads anything.

The strings are control characters (NUL included), odd Unicode (no surrogates), digits
of other scripts (²٣１), very long strings and empty ones. A response of 500 or more, or
an exception the view raised, fails the test with the URL, actor and input. Each
request is rolled back, as in the matrix, so every one meets the same world.

Hypothesis runs derandomized with a fixed number of examples: the same inputs every run.
"""

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st

from tests.site import test_access_matrix as matrix
from tests.site.test_access_matrix import ACTORS, GET_ROWS, POST_DATA, POST_ROWS, url_for

world = matrix.world  # the fixture: the matrix's world, built once for this module

EXAMPLES = 1
# Parameters views commonly read, sent to every URL whether or not a link shows them.
KNOWN_PARAMETERS = (
    "q",
    "sector",
    "topic",
    "page",
    "p",
    "sort",
    "order",
    "ordering",
    "next",
    "id",
    "child_of",
    "code",
)
# Refusals decided before the view reads anything; such cells get one request per example.
REFUSED = {"log", "401", "403", "404", "405", "400"}

ODD_PIECES = [
    "\x00",
    "\x01",
    "\x07",
    "\x1b",
    "\x7f",
    "\u0085",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\uffff",
    "²",
    "٣",
    "１",
    "߂",
    "Ⅻ",
    "𝟘",
    "%00",
    "%",
    "'",
    '"',
    "<",
    "\\",
    "/",
    "//",
    ":",
    "-1",
    "0",
    "1e309",
    "NaN",
    "9" * 30,
    "ŵ",
    " ",
    "\t\n",
]
HOSTILE = [
    "",
    "\x00",
    "a\x00",
    "²",
    "٣",
    "１２",
    "x" * 10_000,
    "²" * 3_000,
    "//evil.example",
    "https://evil.example/",
    "foo",
    "-1",
    "99999999999999999999999",
    "00000000-0000-0000-0000-000000000000",
]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(ODD_PIECES), min_size=1, max_size=12).map("".join),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
)


class FormsAndLinks(HTMLParser):
    """The forms of a page (method, action, field names) and the query parameters of
    its links to itself."""

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.forms = []
        self.link_parameters = set()
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or self.path,
                "fields": [],
            }
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            if self._form is not None and attrs["name"] != "csrfmiddlewaretoken":
                self._form["fields"].append(attrs["name"])
        elif tag == "a" and attrs.get("href"):
            link = urlsplit(attrs["href"])
            if link.path in ("", self.path) and not link.netloc:
                self.link_parameters.update(name for name, _ in parse_qsl(link.query))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def local_path(action, page_path):
    """The path a form's action names on this site, or None for another site."""
    target = urlsplit(action)
    if target.scheme or target.netloc:
        return None
    return target.path or page_path


class Fuzzer:
    """What was found on each page, and the forms already given to a page to fuzz."""

    def __init__(self, world):
        self.world = world
        self.found = {}
        self.claimed = set()

    def request(self, actor, method, url, data):
        """One request, rolled back: (status or a 5xx description, response or None)."""
        client = self.world.clients[actor]
        cookies = client.cookies.__class__(client.cookies)
        client.raise_request_exception = True  # the view's exception names the fault
        try:
            with transaction.atomic():
                send = client.get if method == "get" else client.post
                response = send(url, data)
                if response.streaming:
                    b"".join(response.streaming_content)
                transaction.set_rollback(True)
            return response.status_code, response
        except Exception as error:  # noqa: BLE001  (a raised view exception is a 5xx)
            return f"500 ({type(error).__name__}: {shortened(str(error), 200)})", None
        finally:
            client.raise_request_exception = False
            # A form may sign out or switch language; the next request is as before.
            client.cookies = cookies

    def discover(self, row, actor, url, response):
        """The forms the page is the first to show and its links' parameters, read from
        its answer to the fuzzed request or, when that was not the page, from asking for
        it plainly."""
        key = (str(row), actor)
        if key not in self.found:
            if not is_page(response):
                _status, response = self.request(actor, "get", url, {})
            self.found[key] = self.claim(actor, urlsplit(url).path, response)
        return self.found[key]

    def claim(self, actor, path, response):
        """(forms first shown here, query parameters of the page's links to itself)."""
        if not is_page(response):
            return [], set()
        page = FormsAndLinks(path)
        page.feed(response.content.decode(errors="replace"))
        forms = []
        for form in page.forms:
            target = local_path(form["action"], path)
            signature = (actor, form["method"], target, tuple(sorted(form["fields"])))
            if target is None or signature in self.claimed:
                continue
            self.claimed.add(signature)
            forms.append((form["method"], target, sorted(set(form["fields"]))))
        return forms, page.link_parameters


def is_page(response):
    return (
        response is not None
        and response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
    )


@pytest.fixture(scope="module")
def fuzzer(world):
    return Fuzzer(world)


def shortened(value, length=80):
    return value if len(value) <= length else f"{value[:length]}… ({len(value)} characters)"


def failures_of(fuzzer, actor, method, url, data):
    """(failures, response) of one fuzzed request."""
    status, response = fuzzer.request(actor, method, url, data)
    if isinstance(status, str) or status >= 500:
        shown = {name: shortened(value) for name, value in data.items()}
        return [f"{method.upper()} {url} as {actor}: {status} with {shown!r}"], response
    return [], response


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    # The failure names the URL, actor and input itself; Hypothesis would list every draw.
    verbosity=Verbosity.quiet,
    suppress_health_check=list(HealthCheck),
)


def draw_values(data, names):
    return {name: data.draw(VALUES, label=name) for name in sorted(names)}


@pytest.mark.parametrize("row", GET_ROWS, ids=str)
def test_no_get_row_answers_5xx(world, db, fuzzer, row):
    url = url_for(world, row)
    path = urlsplit(url).path
    own_query = {name for name, _ in parse_qsl(urlsplit(url).query)}

    @FUZZ_SETTINGS
    @given(st.data())
    def fuzz(data):
        failures = []
        for actor, expected in zip(ACTORS, row.expected, strict=True):
            names = set(KNOWN_PARAMETERS) | own_query
            if expected in REFUSED:
                found, _response = failures_of(fuzzer, actor, "get", path, draw_values(data, names))
                failures += found
                continue
            found, response = failures_of(fuzzer, actor, "get", path, draw_values(data, names))
            failures += found
            forms, linked = fuzzer.discover(row, actor, url, response)
            if linked - names:  # a listing's own parameters (ordering, filters, pages)
                values = draw_values(data, names | linked)
                found, _response = failures_of(fuzzer, actor, "get", path, values)
                failures += found
            for method, target, fields in forms:
                found, _response = failures_of(
                    fuzzer, actor, method, target, draw_values(data, fields)
                )
                failures += found
        assert not failures, "\n".join(failures)

    # Documents are served by a redirect to storage, as in the matrix.
    with override_settings(WAGTAILDOCS_SERVE_METHOD="redirect"):
        fuzz()


@pytest.mark.parametrize("row", POST_ROWS, ids=str)
def test_no_post_row_answers_5xx(world, db, fuzzer, row):
    url = url_for(world, row)
    fields = sorted(POST_DATA.get(row.name, lambda w: {})(world)) or ["x"]

    @FUZZ_SETTINGS
    @given(st.data())
    def fuzz(data):
        failures = []
        for actor in ACTORS:
            found, _response = failures_of(fuzzer, actor, "post", url, draw_values(data, fields))
            failures += found
        assert not failures, "\n".join(failures)

    fuzz()
