"""A new learner, from signing up to a certificate that anyone can check."""

import re
import uuid

from playwright.sync_api import expect

from tests.browser.actions import (
    answer_assessment,
    assert_accessible,
    latest_mail_to,
    link_in,
    screenshot,
    shown,
    sign_in,
    sign_out,
)

CORE_COURSE = "Recognising and responding to trafficked children"
PASSWORD = "a-long-learner-passphrase"


def complete_lessons(page, course_url):
    """Work through the course in order until its final assessment is open."""
    while True:
        page.goto(course_url)
        continue_link = page.get_by_role(
            "link", name=re.compile("^(Continue where you left off|Start course)")
        )
        if not shown(continue_link):
            return
        continue_link.click()
        complete = page.get_by_role("button", name="Mark as complete and continue")
        if not shown(complete):
            return
        complete.click()


def test_learner_signs_up_learns_passes_and_proves_it(page, new_page, site):
    address = f"learner-{uuid.uuid4().hex[:8]}@example.org"

    page.goto("/en/")
    page.get_by_role("link", name="Create an account").first.click()
    page.get_by_label("Email").fill(address)
    page.get_by_label("Your name").fill("Sam Okafor")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    screenshot(page, "learner", "01-sign-up")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Verify your email address")).to_be_visible()

    page.goto(link_in(latest_mail_to(site.mail_dir, address), "confirm-email"))
    page.get_by_role("button", name="Confirm").click()
    sign_out(page)

    sign_in(page, address, PASSWORD)
    expect(page.get_by_role("link", name="My learning")).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="Courses").click()
    page.get_by_role("link", name=CORE_COURSE).first.click()
    screenshot(page, "learner", "02-course")
    page.get_by_role("button", name="Enrol in this course").click()
    expect(page.get_by_role("link", name="Start course")).to_be_visible()

    complete_lessons(page, page.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Final assessment")
    screenshot(page, "learner", "03-final-assessment")
    page.get_by_role("button", name="Start the assessment").click()
    answer_assessment(page, "recognising-and-responding", correctly=False)
    screenshot(page, "learner", "04-assessment")
    page.get_by_role("button", name="Submit for marking").click()
    expect(page.get_by_text(re.compile("You did not pass|not passed", re.I))).to_be_visible()
    screenshot(page, "learner", "05-failed")

    page.get_by_role("link", name="Back to the assessment").click()
    page.get_by_role("button", name="Try again").click()
    answer_assessment(page, "recognising-and-responding", correctly=True)
    page.get_by_role("button", name="Submit for marking").click()
    expect(page.get_by_text(re.compile("You passed", re.I))).to_be_visible()
    # Passing completed the course: the certificate and the next course are offered.
    expect(page.get_by_role("heading", name="Your certificate is ready")).to_be_visible()
    expect(page.get_by_role("link", name="View your certificate")).to_be_visible()
    # A new account belongs to no organisation, so the learner chooses their sector.
    expect(page.get_by_role("link", name="Next: choose the course for your sector")).to_be_visible()
    expect(page.get_by_role("link", name="Back to the assessment")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "learner", "06-passed")

    page.get_by_role("link", name="My learning").click()
    certificates = page.get_by_role("region", name="Certificates")
    certificates.get_by_role("link", name=CORE_COURSE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your certificate")
    expect(page.get_by_text("Sam Okafor")).to_be_visible()
    screenshot(page, "learner", "07-certificate")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert download.path().read_bytes()[:5] == b"%PDF-"

    verification_url = page.get_by_role("link", name=re.compile("verify")).get_attribute("href")
    stranger = new_page()
    stranger.goto(verification_url)
    expect(stranger.get_by_text("Valid", exact=True)).to_be_visible()
    expect(stranger.get_by_text("Sam Okafor")).to_be_visible()
    expect(stranger.get_by_text(CORE_COURSE)).to_be_visible()
    screenshot(stranger, "learner", "08-verified-by-anyone")
