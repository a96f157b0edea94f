"""Two app servers on one database and one Redis: a learner moves between them mid-course
and mid-quiz, as a load balancer would send them, and nothing is lost (no state in process
memory or on one server's disk)."""

import re
import uuid

import pytest
import redis
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.actions import answer_assessment, shown, sign_in
from tests.browser.server import SiteServer

PASSWORD = "a-long-two-servers-passphrase"

START_OR_CONTINUE = re.compile("^(Continue where you left off|Start course)")


# A Redis database of the tests' own, emptied first, shared by both servers.
REDIS_URL = f"{settings.TEST_REDIS_URL}/8"


@pytest.fixture(scope="module")
def servers(site):
    """Two servers like production: sessions and cache in Redis, on the prepared database."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    started = []
    for name in ("first", "second"):
        server = SiteServer(site.folder)
        server.env = {**site.env, "REDIS_URL": REDIS_URL, "WAGTAILADMIN_BASE_URL": server.base_url}
        server.log_path = site.folder / f"gunicorn-{name}.log"
        server.start()
        started.append(server)
    yield started
    for server in started:
        server.stop()


def test_attempt_started_on_one_server_is_submitted_on_the_other(page, site, servers):
    address = f"two-servers-{uuid.uuid4().hex[:8]}@example.org"
    site.create_learner(address, "Nia Two", PASSWORD)
    first, second = (server.base_url for server in servers)

    sign_in(page, address, PASSWORD, base_url=first)
    page.goto(f"{second}/en/courses/")  # the session cookie is good on the second
    page.get_by_role("link", name="Recognising and responding to trafficked children").first.click()
    page.get_by_role("button", name="Enrol in this course").click()
    course_url = page.url.replace(second, "")

    for server in [first, second] * 5:
        page.goto(server + course_url)
        page.get_by_role("link", name=START_OR_CONTINUE).click()
        complete = page.get_by_role("button", name="Mark as complete and continue")
        if not shown(complete):
            break
        complete.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Final assessment")

    page.goto(page.url.replace(second, first))
    page.get_by_role("button", name="Start the assessment").click()
    attempt_path = page.url.replace(first, "")
    page.goto(second + attempt_path)
    answer_assessment(page, "recognising-and-responding", correctly=True)
    page.get_by_role("button", name="Submit for marking").click()
    expect(page.get_by_text(re.compile("You passed", re.I))).to_be_visible()

    page.goto(f"{first}/en/learning/")
    page.get_by_role("region", name="Certificates").get_by_role("link").first.click()
    verification = page.get_by_role("link", name=re.compile("verify")).get_attribute("href")
    page.goto(second + verification)
    expect(page.get_by_text("Valid", exact=True)).to_be_visible()
    expect(page.get_by_text("Nia Two")).to_be_visible()
    # The session and the cache the two servers shared were Redis's.
    assert redis.Redis.from_url(REDIS_URL).keys("recognise:*")
