"""Two app servers on one database: a learner moves between them mid-course and mid-quiz,
as a load balancer would send them, and nothing is lost (no state in process memory)."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.actions import answer_assessment, sign_in
from tests.browser.server import SiteServer

PASSWORD = "a-long-two-servers-passphrase"


@pytest.fixture(scope="module")
def second_server(site):
    other = SiteServer(site.folder)
    other.env = {**site.env, "WAGTAILADMIN_BASE_URL": other.base_url}
    other.log_path = site.folder / "gunicorn-second.log"
    other.start()
    yield other
    other.stop()


def test_attempt_started_on_one_server_is_submitted_on_the_other(page, site, second_server):
    address = f"two-servers-{uuid.uuid4().hex[:8]}@example.org"
    site.create_learner(address, "Nia Two", PASSWORD)
    first, second = site.base_url, second_server.base_url

    sign_in(page, address, PASSWORD)  # on the first server
    page.goto(f"{second}/en/courses/")  # the session cookie is good on the second
    page.get_by_role("link", name="Recognising and responding to trafficked children").first.click()
    page.get_by_role("button", name="Enrol in this course").click()
    course_url = page.url.replace(second, "")

    for server in [first, second] * 5:
        page.goto(server + course_url)
        page.get_by_role("link", name=re.compile("^Continue where you left off")).click()
        complete = page.get_by_role("button", name="Mark as complete and continue")
        if not complete.count():
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
