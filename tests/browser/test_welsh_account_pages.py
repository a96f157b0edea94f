"""On a phone, in Welsh: someone signs up, is shown what went wrong, then signs in."""

import re

from playwright.sync_api import Page, expect

from recognise.demo.people import DEMO_PASSWORD
from tests.accounts.account_pages import english_left_on
from tests.browser.actions import MOBILE, assert_accessible


def assert_no_sideways_scroll(page: Page):
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 390px"


def assert_welsh_and_usable(page: Page):
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert english_left_on(page.content()) == []
    assert_no_sideways_scroll(page)
    assert_accessible(page)


def test_signing_up_with_a_mistake_then_signing_in_in_welsh(new_page):
    page = new_page(viewport=MOBILE, locale="cy")
    page.goto("/cy/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Creu cyfrif")
    assert page.locator("[placeholder]").count() == 0
    assert_welsh_and_usable(page)

    page.get_by_label("E-bost").fill("dim-cyfeiriad")
    page.get_by_label("Eich enw").fill("Person Newydd")
    page.get_by_label("Cyfrinair", exact=True).fill("12345678")
    page.get_by_label("Cyfrinair (eto)").fill("12345678")
    page.get_by_role("button", name="Creu cyfrif").click()

    # The problems are listed at the top, the list has focus, and the title says so.
    expect(page).to_have_title(re.compile("^Gwall:"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", name="Mae problem")).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("rhy fyr"))).to_be_visible()
    assert_welsh_and_usable(page)
    summary.get_by_role("link", name=re.compile("ebost|e-bost")).first.click()
    expect(page.get_by_label("E-bost")).to_be_focused()

    page.get_by_label("E-bost").fill("person.newydd@example.org")
    page.get_by_label("Cyfrinair", exact=True).fill("cyfrinair-hir-ac-anghyffredin")
    page.get_by_label("Cyfrinair (eto)").fill("cyfrinair-hir-ac-anghyffredin")
    page.get_by_role("button", name="Creu cyfrif").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dilyswch eich cyfeiriad e-bost")
    assert_welsh_and_usable(page)

    page.goto("/cy/accounts/login/")
    assert_welsh_and_usable(page)
    page.get_by_label("E-bost").fill("learner2@example.org")
    page.get_by_role("button", name="Parhau").click()
    expect(page.get_by_label("Cofio fi")).to_be_visible()
    assert_welsh_and_usable(page)
    page.get_by_label("Cyfrinair", exact=True).fill("wrong-password-here")
    page.get_by_role("button", name="Mewngofnodi").click()
    expect(page).to_have_title(re.compile("^Gwall:"))
    assert_welsh_and_usable(page)

    page.get_by_label("Cyfrinair", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Mewngofnodi").click()
    expect(page.get_by_role("button", name="Allgofnodi")).to_be_visible()
