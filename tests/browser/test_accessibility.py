"""axe-core finds no WCAG 2.2 AA violation on any page type, in English and in Welsh."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.actions import (
    assert_accessible,
    shown,
    sign_in,
    sign_in_with_authenticator,
    switch_language,
)

CORE_COURSE = "Recognising and responding to trafficked children"


def in_both_languages(page: Page, *, english_only=False):
    """Check the page, then the same page in Welsh, then return to English. Guidance that
    an organisation wrote in English stays in English, and the reader is told so."""
    assert_accessible(page)
    with page.expect_navigation() as welsh:
        switch_language(page, "Cymraeg")
    assert welsh.value.status == 200, f"No Welsh version of {page.url}"
    if english_only:
        expect(page.get_by_role("status")).to_contain_text("ar gael")
        assert_accessible(page)
        return
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)
    with page.expect_navigation():
        switch_language(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def visit(page: Page, link_name, *, within=None, english_only=False):
    scope = page.get_by_role("main") if within is None else within
    scope.get_by_role("link", name=link_name).first.click()
    in_both_languages(page, english_only=english_only)


def test_public_pages(page):
    page.goto("/en/")
    in_both_languages(page)
    nav = page.get_by_role("navigation", name="Main")
    visit(page, "Courses", within=nav)
    visit(page, CORE_COURSE)
    page.get_by_role("link", name=re.compile("^What child trafficking means")).click()
    in_both_languages(page)
    visit(page, "Your sector", within=nav)
    visit(page, "Police")
    visit(page, "Guidance", within=nav)
    # The demo guidance has a Welsh translation: the Welsh page is Welsh throughout.
    visit(page, re.compile("^Working with interpreters"))
    page.goto("/en/search/?q=missing")
    in_both_languages(page)
    page.goto("/en/verify/")
    in_both_languages(page)
    page.goto("/en/accounts/login/")
    in_both_languages(page)
    page.goto("/en/accounts/signup/")
    in_both_languages(page)
    visit(page, "Accessibility statement", within=page.get_by_role("contentinfo"))
    visit(page, "Privacy notice", within=page.get_by_role("contentinfo"))
    page.goto("/en/no-such-page/")
    assert_accessible(page)


def test_the_check_fails_on_an_unlabelled_input(page):
    """The accessibility check itself can fail: an input with no label is a violation."""
    page.goto("/en/verify/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')"
    )
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)


def test_form_errors_are_accessible(page):
    page.goto("/en/accounts/signup/")
    page.get_by_role("button", name="Sign up").click()
    in_both_languages(page)


def test_learner_pages(page):
    sign_in(page, "officer01@example.org")
    visit(page, "My learning", within=page.get_by_role("navigation", name="Main"))
    visit(page, CORE_COURSE, within=page.get_by_role("region", name="Certificates"))
    page.get_by_role("link", name=re.compile("verify")).click()
    in_both_languages(page)
    visit(page, "Your account", within=page.get_by_role("navigation", name="Main"))

    page.goto("/en/courses/")
    page.get_by_role("link", name=CORE_COURSE).first.click()
    page.get_by_role("link", name="Final assessment").click()
    in_both_languages(page)
    start = page.get_by_role("button", name=re.compile("Start the assessment|Try again"))
    continue_link = page.get_by_role("link", name="Continue your attempt")
    (continue_link if shown(continue_link) else start).click()
    # The final assessment is paged: a page of questions, then (passing over the rest
    # unanswered) the page that checks the answers.
    expect(page.get_by_role("button", name="Continue", exact=True)).to_be_visible()
    in_both_languages(page)
    while shown(page.get_by_role("button", name="Continue", exact=True)):
        page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    in_both_languages(page)
    page.get_by_role("button", name="Submit for marking").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    in_both_languages(page)


def test_trainer_pages(page):
    sign_in_with_authenticator(page, "trainer@example.org")
    page.get_by_role("link", name="Cohorts", exact=True).click()
    in_both_languages(page)
    cohorts = page.get_by_role("region", name="Cohorts")
    cohorts.get_by_role("heading", level=3).first.get_by_role("link").click()
    expect(page.get_by_role("table")).to_be_visible()
    in_both_languages(page)
    page.goto("/en/trainer/compliance/")
    expect(page.get_by_role("heading", name="Compliance", level=1)).to_be_visible()
    in_both_languages(page)
