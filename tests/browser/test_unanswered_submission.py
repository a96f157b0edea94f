"""No accidental submission: a one-page assessment submitted with questions unanswered
lists them, each linked to its question, and asks to submit anyway before marking; the
review then says which were not answered. In English and Welsh, on a desktop and a phone,
with axe finding nothing."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.actions import assert_accessible, shown, sign_in
from tests.browser.conftest import DESKTOP
from tests.browser.test_narrow_screens import PHONE, assert_no_sideways_scroll

CORE_COURSE = "Recognising and responding to trafficked children"
KNOWLEDGE_CHECK = "Knowledge check: what child trafficking means"
PASSWORD = "a-long-unanswered-passphrase"

WORDS = {
    "en": {
        "start": "Start the assessment",
        "submit": "Submit for marking",
        "anyway": "Submit anyway",
        "error": "Error:",
        "unanswered": r"You have not answered \d+ questions?",
        "answer": r"^Answer question (\d+)$",
        "when": "when you save your answer",
        "not_answered": "Not answered",
    },
    "cy": {
        "start": "Dechrau'r asesiad",
        "submit": "Cyflwyno i'w farcio",
        "anyway": "Cyflwyno beth bynnag",
        "error": "Gwall:",
        "unanswered": r"Nid ydych wedi ateb \d+ (c|g)westiwn",
        "answer": r"^Ateb cwestiwn (\d+)$",
        "when": "pan fyddwch yn cadw eich ateb",
        "not_answered": "Heb ei ateb",
    },
}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_unanswered_questions_are_shown_before_marking(new_page, site, language, viewport):
    words = WORDS[language]
    address = f"unanswered-{language}-{uuid.uuid4().hex[:8]}@example.org"
    site.create_learner(address, "Gwen Unanswered", PASSWORD)
    page = new_page(viewport=viewport)
    sign_in(page, address, PASSWORD)
    page.goto("/en/courses/")
    page.get_by_role("link", name=CORE_COURSE).first.click()
    page.get_by_role("button", name="Enrol in this course").click()
    page.get_by_role("main").get_by_role("link", name=KNOWLEDGE_CHECK).first.click()
    if language == "cy":
        page.locator(".language-switcher").get_by_role("button", name="Cymraeg").click()
        expect(page.locator("html")).to_have_attribute("lang", "cy")
    # The introduction says when the answers are shown, from the assessment's policy.
    expect(page.locator("#when-feedback-comes")).to_contain_text(words["when"])

    page.get_by_role("button", name=words["start"]).click()
    questions = page.locator("fieldset.question")
    first_id = questions.first.get_attribute("id")
    unanswered = shown(questions) - 1
    questions.first.locator("input").first.check()
    page.get_by_role("button", name=words["submit"]).click()

    summary = page.locator("#unanswered-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(re.compile(words["unanswered"]))
    expect(page).to_have_title(re.compile("^" + re.escape(words["error"])))
    links = summary.get_by_role("link", name=re.compile(words["answer"]))
    expect(links).to_have_count(unanswered)
    # Nothing is marked yet, and the answer given is still chosen.
    expect(questions.first.locator("input").first).to_be_checked()
    assert f"#{first_id}" not in [link.get_attribute("href") for link in links.all()]
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    links.first.click()
    target = links.first.get_attribute("href")
    assert page.url.endswith(target)
    expect(page.locator(target)).to_be_in_viewport()

    page.get_by_role("button", name=words["anyway"]).click()
    expect(page.get_by_text(words["not_answered"], exact=True).first).to_be_visible()
    expect(page.get_by_text(words["not_answered"], exact=True)).to_have_count(unanswered)
    assert_accessible(page)
    assert_no_sideways_scroll(page)
