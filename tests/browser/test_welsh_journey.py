"""A learner switches to Welsh and takes a lesson in Welsh."""

import re

from playwright.sync_api import expect

from tests.browser.actions import screenshot, sign_in

WELSH_CORE_COURSE = "Adnabod plant sydd wedi'u masnachu ac ymateb iddynt"


def test_learner_switches_to_welsh_and_completes_a_lesson(page):
    sign_in(page, "learner2@example.org")
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("link", name="Fy nysgu")).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="Cyrsiau").click()
    page.get_by_role("link", name=WELSH_CORE_COURSE).first.click()
    expect(page).to_have_url(re.compile("/cy/"))
    page.get_by_role("button", name="Cofrestru ar y cwrs hwn").click()
    page.get_by_role("link", name="Dechrau'r cwrs").click()
    expect(page.get_by_text(re.compile(r"^Gwers 1 "))).to_be_visible()
    screenshot(page, "welsh", "01-lesson")
    lesson_url = page.url
    page.get_by_role("button", name="Marcio'n gyflawn a pharhau").click()

    page.goto(lesson_url)
    expect(page.get_by_text("Rydych wedi cwblhau'r wers hon.")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
