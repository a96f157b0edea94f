"""One server and one browser for the whole session; a fresh browser context per test.

The browser is Debian's chromium (`make test` installs it when missing); Playwright's own
browser download is never used.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.server import SiteServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def site(request, tmp_path_factory):
    # BROWSER_SITE_DIR keeps the prepared site between runs while working on these tests
    # (delete the folder to start afresh); by default every run starts from nothing.
    kept = os.environ.get("BROWSER_SITE_DIR")
    server = SiteServer(Path(kept) if kept else tmp_path_factory.mktemp("browser-site"))
    if not server.is_prepared():
        server.prepare(request.getfixturevalue("prepared_site_folder"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def no_server_errors(request):
    """An internal server error in the server log fails the test that caused it."""
    if "site" not in request.fixturenames:
        yield
        return
    site = request.getfixturevalue("site")
    before = len(site.log_path.read_text())
    yield
    errors = site.log_path.read_text()[before:]
    assert "Internal Server Error" not in errors, f"The server failed during this test:\n{errors}"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, site):
    """Open a page in a new browser context (its own cookies), as a different person would."""
    contexts = []

    def open_page(*, viewport=DESKTOP, locale="en-GB"):
        context = browser.new_context(
            base_url=site.base_url, viewport=viewport, locale=locale, accept_downloads=True
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
