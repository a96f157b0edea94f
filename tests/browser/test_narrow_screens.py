"""On a phone (390 px wide) wide tables scroll inside their own region; the page itself
never scrolls sideways."""

import re
import uuid

from playwright.sync_api import Page, expect

from tests.browser.actions import assert_accessible, sign_in, sign_in_with_authenticator

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
    if page.locator("#learners-heading").count():
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
    assert_no_sideways_scroll(page)
    page.get_by_role("button", name="Submit anyway").click()
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
