"""On a phone (390 px wide) wide tables scroll inside their own region; the page itself
never scrolls sideways."""

from playwright.sync_api import Page, expect

from tests.browser.actions import assert_accessible, sign_in_with_authenticator

PHONE = {"width": 390, "height": 844}


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
