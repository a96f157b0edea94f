"""On a phone (390 px wide) wide tables scroll inside their own region; the page itself
never scrolls sideways."""

import datetime
import re
import uuid

from playwright.sync_api import Page, expect

from tests.browser.actions import (
    assert_accessible,
    latest_mail_to,
    link_in,
    shown,
    sign_in,
    sign_in_with_authenticator,
)

PHONE = {"width": 390, "height": 844}
CORE_COURSE = "Recognising and responding to trafficked children"
KNOWLEDGE_CHECK = "Knowledge check: what child trafficking means"


def assert_no_sideways_scroll(page: Page):
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 390px"


def assert_table_scrolls_in_its_region(page: Page, heading_id):
    region = page.locator(f'div.table-scroll[role="region"][aria-labelledby="{heading_id}"]')
    expect(region.get_by_role("table")).to_be_visible()
    # Wider than the region, so it is the region that scrolls.
    assert region.evaluate("(element) => element.scrollWidth > element.clientWidth")
    region.focus()
    expect(region).to_be_focused()


def test_trainer_tables_scroll_in_their_region_not_the_page(new_page):
    page = new_page(viewport=PHONE)
    sign_in_with_authenticator(page, "trainer@example.org")
    page.goto("/en/trainer/compliance/")
    expect(page.get_by_role("heading", name="Compliance", level=1)).to_be_visible()
    assert_table_scrolls_in_its_region(page, "compliance-heading")
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    page.goto("/en/trainer/")
    cohorts = page.get_by_role("region", name="Cohorts")
    cohorts.get_by_role("heading", level=3).first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if shown(page.locator("#learners-heading")):
        assert_table_scrolls_in_its_region(page, "learners-heading")
    assert_no_sideways_scroll(page)


# Every kind of page a person reaches, by who reaches it. The page scrolls only
# downwards at 390 px, and it has at most one primary button.
PRIMARY_BUTTONS = """() => [...document.querySelectorAll("main button, main a.button")].filter(
    (element) => element.offsetParent !== null
        && !element.matches(".button--secondary, .button--danger, .link-button")
).length"""

PUBLIC_PAGES = [
    "/en/",
    "/cy/",
    "/en/courses/",
    "/en/guidance/",
    "/en/search/?q=trafficking",
    "/en/accessibility/",
    "/en/privacy/",
    "/en/verify/",
    "/en/verify/credential/",
    "/en/accounts/login/",
    "/en/accounts/signup/",
    "/en/no-such-page/",
]
LEARNER_PAGES = ["/en/learning/", "/cy/learning/", "/en/profile/", "/en/profile/delete/"]
TRAINER_PAGES = ["/en/trainer/", "/en/trainer/compliance/", "/en/trainer/api-tokens/"]


def assert_fits_a_phone(page: Page, url):
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    assert_no_sideways_scroll(page)
    primary = page.evaluate(PRIMARY_BUTTONS)
    assert primary <= 1, f"{url} has {primary} primary buttons"


def links_in_main(page: Page, pattern):
    hrefs = page.locator("main a[href]").evaluate_all("(links) => links.map((a) => a.href)")
    return [href for href in hrefs if pattern in href]


def test_every_public_page_type_fits_a_phone(new_page):
    page = new_page(viewport=PHONE)
    for url in PUBLIC_PAGES:
        assert_fits_a_phone(page, url)
    page.goto("/en/courses/")
    course = links_in_main(page, "/courses/")[0]
    page.goto("/en/guidance/")
    guidance = links_in_main(page, "/guidance/")
    for url in [course, *guidance[:1]]:
        assert_fits_a_phone(page, url)
    assert_accessible(page)


def test_every_learner_page_type_fits_a_phone(new_page, site):
    address = f"phone-{uuid.uuid4().hex[:8]}@example.org"
    site.create_learner(address, "Pat Phone", "a-long-phone-passphrase")
    page = new_page(viewport=PHONE)
    sign_in(page, address, "a-long-phone-passphrase")
    for url in LEARNER_PAGES:
        assert_fits_a_phone(page, url)
    page.goto("/en/courses/")
    page.get_by_role("link", name=CORE_COURSE).first.click()
    page.get_by_role("button", name="Enrol in this course").click()
    course = page.url
    assert_fits_a_phone(page, course)
    lesson = page.get_by_role(
        "link", name=re.compile("^(Start course|Continue where you left off)")
    )
    assert_fits_a_phone(page, lesson.get_attribute("href"))
    # A one-page knowledge check: its introduction, the form, the unanswered
    # confirmation, the result.
    page.goto(course)
    page.get_by_role("main").get_by_role("link", name=KNOWLEDGE_CHECK).first.click()
    assert_fits_a_phone(page, page.url)
    page.get_by_role("button", name="Start the assessment").click()
    assert_fits_a_phone(page, page.url)
    page.get_by_role("button", name="Submit for marking").click()
    # Measured once the confirmation has loaded, not while the page is being replaced.
    submit_anyway = page.get_by_role("button", name="Submit anyway")
    expect(submit_anyway).to_be_visible()
    assert_no_sideways_scroll(page)
    submit_anyway.click()
    assert_fits_a_phone(page, page.url)
    assert_accessible(page)
    # The paged final assessment: a question page and the check-your-answers page.
    page.goto(course)
    page.get_by_role("main").get_by_role("link", name="Final assessment").first.click()
    assert_fits_a_phone(page, page.url)
    page.get_by_role("button", name="Start the assessment").click()
    assert_fits_a_phone(page, page.url)
    attempt = page.url.split("/questions/")[0]
    assert_fits_a_phone(page, f"{attempt}/check/")
    assert_accessible(page)


def test_every_trainer_page_type_fits_a_phone(new_page):
    page = new_page(viewport=PHONE)
    sign_in_with_authenticator(page, "trainer@example.org")
    for url in TRAINER_PAGES:
        assert_fits_a_phone(page, url)
    page.goto("/en/trainer/")
    dashboard = [
        href
        for href in links_in_main(page, "/trainer/cohorts/")
        if re.search(r"/trainer/cohorts/\d+/$", href)
    ][0]
    assert_fits_a_phone(page, dashboard)
    for suffix in ("members/", "assign/", "settings/", "learners/"):
        assert_fits_a_phone(page, dashboard + suffix)
    page.goto(dashboard)
    learners = links_in_main(page, "/trainer/learners/")
    changes = links_in_main(page, "/due-date/")
    for url in learners[:1] + changes[:1]:
        assert_fits_a_phone(page, url)
    # A form the trainer got wrong: its error summary fits too.
    page.goto(dashboard + "assign/")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_no_sideways_scroll(page)
    assert_accessible(page)


def test_a_learners_certificate_and_its_public_check_fit_a_phone(new_page):
    # The first demo officer finished the core course weeks ago.
    page = new_page(viewport=PHONE)
    sign_in(page, "officer01@example.org")
    page.goto("/en/learning/")
    certificates = page.get_by_role("region", name="Certificates")
    certificates.get_by_role("link", name=CORE_COURSE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your certificate")
    assert_fits_a_phone(page, page.url)
    assert_accessible(page)

    # Anyone the learner shares the link with checks it on their own phone.
    verification_url = page.get_by_role("link", name=re.compile("verify")).get_attribute("href")
    stranger = new_page(viewport=PHONE)
    assert_fits_a_phone(stranger, verification_url)
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Certificate check")
    expect(stranger.get_by_text("Valid", exact=True)).to_be_visible()
    assert_accessible(stranger)


def test_joining_by_link_and_stopping_reminders_fit_a_phone(new_page, site):
    cohort_name = f"Phone joiners {uuid.uuid4().hex[:6]}"
    address = f"joiner-{uuid.uuid4().hex[:8]}@example.org"
    password = "a-long-joining-passphrase"
    site.create_learner(address, "Jo Joiner", password)

    trainer = new_page()
    sign_in_with_authenticator(trainer, "trainer@example.org")
    trainer.get_by_role("link", name="Cohorts", exact=True).click()
    trainer.get_by_label("Cohort name").fill(cohort_name)
    trainer.get_by_role("button", name="Create cohort").click()
    trainer.get_by_role("button", name="Create a link").click()
    expect(trainer.get_by_text("Invitation link created.")).to_be_visible()
    invitation = trainer.get_by_role("region", name="Invitation link").locator("code").first
    link = invitation.inner_text().strip()
    # The trainer's page showing the long link fits a phone too.
    trainer.set_viewport_size(PHONE)
    assert_no_sideways_scroll(trainer)
    trainer.set_viewport_size({"width": 1280, "height": 800})

    # The learner opens the link on their phone, signs in, and is asked to join.
    learner = new_page(viewport=PHONE)
    learner.goto(link)
    learner.get_by_label("Email").fill(address)
    learner.get_by_role("button", name="Continue").click()
    learner.get_by_label("Password").fill(password)
    learner.get_by_role("button", name="Sign in").click()
    expect(learner.get_by_role("heading", name="Join a cohort", level=1)).to_be_visible()
    expect(learner.get_by_text(cohort_name)).to_be_visible()
    assert_fits_a_phone(learner, link)
    assert_accessible(learner)
    learner.get_by_role("button", name="Join").click()
    expect(learner.get_by_text(f"You have joined “{cohort_name}”.")).to_be_visible()

    # The trainer sets a course and nudges the learner, who has not started it.
    trainer.get_by_role("navigation", name="Breadcrumb").get_by_role("link").click()
    trainer.get_by_role("link", name="Assign courses").first.click()
    trainer.get_by_label(CORE_COURSE).check()
    due = datetime.date.today() + datetime.timedelta(days=28)
    due_date = trainer.get_by_role("group", name="Due date", exact=True)
    due_date.get_by_label("Day").fill(str(due.day))
    due_date.get_by_label("Month").fill(str(due.month))
    due_date.get_by_label("Year").fill(str(due.year))
    trainer.get_by_role("button", name="Assign").click()
    trainer.get_by_role("link", name="Go to the cohort's page").click()
    trainer.get_by_role("link", name="Nudge learners not started or overdue").click()
    trainer.get_by_role("button", name="Send the nudge").click()
    expect(trainer.get_by_text("Your nudge is being sent to 1 learner(s).")).to_be_visible()

    # The reminder's link to stop reminders, opened on the phone.
    stop = link_in(latest_mail_to(site.mail_dir, address), "/reminders/stop/")
    assert_fits_a_phone(learner, stop)
    expect(learner.get_by_role("heading", name="Reminder emails", level=1)).to_be_visible()
    assert_accessible(learner)
    learner.get_by_role("button", name="Turn reminders off").click()
    expect(learner.get_by_role("status")).to_contain_text("Reminder emails are now off.")
    assert_no_sideways_scroll(learner)
