"""A timed attempt in a real browser: the countdown, answers saved in the background, the
time announced as it runs short, and the same page without JavaScript."""

import json
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.actions import assert_accessible, screenshot, sign_in
from tests.browser.conftest import DESKTOP

PASSWORD = "a-long-learner-passphrase"

# An open attempt at a timed assessment for the learner, its deadline `seconds` away.
START_ATTEMPT = """
from datetime import timedelta
from django.utils import timezone
from accounts.models import User
from courses.models import Enrolment
from learning.attempts import start_attempt
from quizzes.models import AssessmentPage, Attempt
user = User.objects.get(email={email!r})
assessment = (
    AssessmentPage.objects.live()
    .filter(time_limit_minutes__isnull=False, locale__language_code="en")
    .order_by("path")
    .first()
)
Enrolment.objects.get_or_create(user=user, course_id=assessment.get_parent().pk)
attempt = start_attempt(user, assessment)
Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds={seconds}))
print(attempt.pk)
"""

SAVED = """
from quizzes.models import Attempt
attempt = Attempt.objects.get(pk={pk!r})
print(json.dumps({{"answers": attempt.answers, "submitted": attempt.submitted_at is not None}}))
"""


@pytest.fixture
def address(site):
    address = f"timer-{uuid.uuid4().hex[:8]}@example.org"
    site.create_learner(address, "Tomos Timer", PASSWORD)
    return address


def start_attempt(site, email, seconds):
    output = site.shell(START_ATTEMPT.format(email=email, seconds=seconds))
    return output.strip().splitlines()[-1]


def saved(site, attempt_id):
    output = site.shell("import json\n" + SAVED.format(pk=attempt_id))
    return json.loads(output.strip().splitlines()[-1])


def seconds_shown(page):
    minutes, seconds = page.get_by_role("timer").inner_text().split(":")[-2:]
    return int(minutes) * 60 + int(seconds)


def choose_first_answer(page):
    """Pick the first option of the first single-choice question, moving on through the
    attempt's pages until one has such a question; returns (name, value)."""
    while not page.get_by_role("radio").count():
        page.get_by_role("button", name="Continue").click()
    radio = page.get_by_role("radio").first
    radio.check()
    return radio.get_attribute("name"), radio.get_attribute("value")


def test_the_countdown_runs_and_answers_are_saved_without_pressing_save(page, site, address):
    attempt_id = start_attempt(site, address, 30 * 60)
    sign_in(page, address, PASSWORD)
    page.goto(f"/en/learning/attempts/{attempt_id}/")

    timer = page.get_by_role("timer")
    expect(timer).to_be_visible()
    expect(page.get_by_text("Time left:")).to_be_visible()
    expect(timer).to_have_text(re.compile(r"^(29|30):\d\d$"))
    first = seconds_shown(page)
    page.wait_for_timeout(2500)
    assert seconds_shown(page) < first
    # Half an hour left: nothing to warn about yet.
    expect(page.get_by_text("Less than 5 minutes left")).to_be_hidden()

    name, value = choose_first_answer(page)
    # Shown quietly on the page, without pressing Save.
    status = page.get_by_role("paragraph").filter(
        has_text=re.compile(r"^Answers saved at \d\d:\d\d$")
    )
    expect(status).to_be_visible()
    question_id = name.removeprefix("q")
    assert saved(site, attempt_id) == {"answers": {question_id: [int(value)]}, "submitted": False}
    # The first save is said once through the polite live region.
    expect(page.locator("[aria-live=polite]")).to_have_text(re.compile("^Answers saved at"))


def test_the_time_running_short_is_announced_and_warned_of(page, site, address):
    # A deadline a little over a minute away: the one-minute mark comes twenty seconds on.
    attempt_id = start_attempt(site, address, 80)
    sign_in(page, address, PASSWORD)
    # The page's own clock is moved on, as the seconds would pass, rather than waited for.
    page.clock.install()
    page.goto(f"/en/learning/attempts/{attempt_id}/")

    live = page.locator("[aria-live=polite]")
    # Under five minutes when the page opens: the warning is shown, nothing is announced.
    expect(page.get_by_text("Less than 5 minutes left")).to_be_visible()
    expect(live).to_have_text("")
    page.clock.run_for("00:25")
    expect(live).to_have_text("1 minute left.")
    assert seconds_shown(page) <= 60
    assert_accessible(page)
    screenshot(page, "attempt-timer", "01-one-minute-left")


def test_the_end_of_the_time_is_announced(page, site, address):
    attempt_id = start_attempt(site, address, 20)
    sign_in(page, address, PASSWORD)
    page.clock.install()
    page.goto(f"/en/learning/attempts/{attempt_id}/")
    expect(page.get_by_role("timer")).to_be_visible()

    live = page.locator("[aria-live=polite]")
    expect(live).not_to_have_text(re.compile("^Time is up."))
    page.clock.run_for("00:25")
    expect(live).to_have_text(re.compile("^Time is up."))
    expect(page.get_by_role("timer")).to_have_text("0:00")
    expect(page.locator("[data-timer-warning-text]")).to_have_text(re.compile("^Time is up."))
    # The page submits nothing by itself: the learner still decides.
    expect(page.get_by_role("button", name="Continue")).to_be_visible()
    assert saved(site, attempt_id)["submitted"] is False


def test_without_javascript_answers_are_saved_and_submitted_with_the_buttons(
    browser, site, address
):
    context = browser.new_context(
        base_url=site.base_url, viewport=DESKTOP, locale="en-GB", java_script_enabled=False
    )
    try:
        context.set_default_timeout(10_000)
        page = context.new_page()
        attempt_id = start_attempt(site, address, 30 * 60)
        sign_in(page, address, PASSWORD)
        page.goto(f"/en/learning/attempts/{attempt_id}/")
        # The deadline is given in words; the countdown needs the script.
        expect(
            page.get_by_text(re.compile("^Time limit: 30 minutes, so submit by"))
        ).to_be_visible()
        expect(page.get_by_role("timer")).to_be_hidden()

        name, value = choose_first_answer(page)
        # Moving on saves the page's answers.
        page.get_by_role("button", name="Continue").click()
        question_id = name.removeprefix("q")
        assert saved(site, attempt_id)["answers"] == {question_id: [int(value)]}

        page.goto(f"/en/learning/attempts/{attempt_id}/check/")
        page.get_by_role("button", name=re.compile("^Submit for marking")).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.url.endswith(f"/learning/attempts/{attempt_id}/result/")
        assert saved(site, attempt_id)["submitted"] is True
    finally:
        context.close()
