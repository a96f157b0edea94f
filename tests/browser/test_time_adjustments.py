"""Reasonable adjustments in a real browser: a learner with extra time sees it before
starting and gets it in the countdown and the deadline; a learner with no time limit has
no countdown and no deadline; and without JavaScript the adjusted limit is still given."""

import re
import uuid

from playwright.sync_api import expect

from tests.browser.actions import assert_accessible, sign_in
from tests.browser.conftest import DESKTOP
from tests.browser.test_attempt_timer import choose_first_answer, saved, seconds_shown

PASSWORD = "a-long-learner-passphrase"
FIFTY_PERCENT = "You have 45 minutes (your adjustment: 50% extra time)."

# Enrols the learner in the course of a 30-minute final assessment and gives them the
# adjustment; prints the assessment's address.
ADJUST = """
from accounts.models import User
from courses.models import Enrolment
from learning.models import TimeAdjustment
from quizzes.models import AssessmentPage
user = User.objects.get(email={email!r})
assessment = (
    AssessmentPage.objects.live()
    .filter(time_limit_minutes=30, locale__language_code="en")
    .order_by("path")
    .first()
)
Enrolment.objects.get_or_create(user=user, course_id=assessment.get_parent().pk)
TimeAdjustment.objects.create(learner=user, {fields})
print(assessment.url)
"""

ATTEMPT = """
from quizzes.models import Attempt
attempt = Attempt.objects.get(user__email={email!r}, submitted_at__isnull=True)
print(attempt.pk, attempt.time_limit_minutes, attempt.deadline is not None)
"""


def learner_with(site, fields):
    email = f"adjusted-{uuid.uuid4().hex[:8]}@example.org"
    site.create_learner(email, "Alys Adjusted", PASSWORD)
    output = site.shell(ADJUST.format(email=email, fields=fields))
    return email, output.strip().splitlines()[-1]


def open_attempt(site, email):
    output = site.shell(ATTEMPT.format(email=email))
    attempt_id, minutes, has_deadline = output.strip().splitlines()[-1].split()
    return attempt_id, (None if minutes == "None" else int(minutes)), has_deadline == "True"


def start(page):
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_fifty_percent_extra_time_is_shown_before_starting_and_given(page, site):
    email, url = learner_with(site, "extra_percent=50")
    sign_in(page, email, PASSWORD)
    page.goto(url)
    expect(page.get_by_text(FIFTY_PERCENT)).to_be_visible()
    expect(page.get_by_role("link", name="contact us")).to_be_visible()
    assert_accessible(page)

    start(page)
    attempt_id, minutes, has_deadline = open_attempt(site, email)
    assert (minutes, has_deadline) == (45, True)
    expect(page.get_by_text("This includes your adjustment: 50% extra time.")).to_be_visible()
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^4[45]:\d\d$"))
    assert 43 * 60 < seconds_shown(page) <= 45 * 60
    # Answers are still saved in the background.
    name, value = choose_first_answer(page)
    expect(page.locator("[data-autosave-status]")).to_have_text(
        re.compile(r"^Answers saved at \d\d:\d\d$")
    )
    assert saved(site, attempt_id)["answers"] == {name.removeprefix("q"): [int(value)]}


def test_no_time_limit_means_no_countdown_and_no_deadline(page, site):
    email, url = learner_with(site, "kind='no_limit'")
    sign_in(page, email, PASSWORD)
    page.goto(url)
    expect(page.get_by_text("You have no time limit (your adjustment).")).to_be_visible()

    start(page)
    _attempt_id, minutes, has_deadline = open_attempt(site, email)
    assert (minutes, has_deadline) == (None, False)
    expect(page.get_by_text("You have no time limit (your adjustment).")).to_be_visible()
    expect(page.get_by_role("timer")).to_have_count(0)
    expect(page.get_by_text(re.compile("^Time limit:"))).to_have_count(0)
    assert_accessible(page)


def test_without_javascript_the_adjusted_limit_is_given_in_words(browser, site):
    email, url = learner_with(site, "extra_percent=50")
    context = browser.new_context(
        base_url=site.base_url, viewport=DESKTOP, locale="en-GB", java_script_enabled=False
    )
    try:
        context.set_default_timeout(10_000)
        page = context.new_page()
        sign_in(page, email, PASSWORD)
        page.goto(url)
        expect(page.get_by_text(FIFTY_PERCENT)).to_be_visible()
        start(page)
        expect(
            page.get_by_text(re.compile("^Time limit: 45 minutes, so submit by"))
        ).to_be_visible()
        expect(page.get_by_role("timer")).to_be_hidden()
    finally:
        context.close()
