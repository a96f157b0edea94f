"""A paged final assessment taken with the keyboard alone, in English and in Welsh: each
page of questions, back a page, the check-your-answers page with a question left
unanswered, answering it from there, and submitting. axe finds nothing on any page."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.actions import (
    Keyboard,
    answer_key,
    assert_accessible,
    intended_choices,
    question_for,
    screenshot,
    sign_in,
)

CORE_COURSE = "Recognising and responding to trafficked children"
PASSWORD = "a-long-paged-passphrase"

WORDS = {
    "en": {
        "start": "Start the assessment",
        "page": r"^Questions? (\d+)( to (\d+))? of (\d+)$",
        "title": r"^Questions? \d+( to \d+)? of \d+ – .+ – Recognise$",
        "continue": "Continue",
        "back": "Back",
        "check": "Check your answers",
        "unanswered": r"You have not answered \d+ questions?",
        "answer": r"^Answer question (\d+)$",
        "submit": "Submit for marking",
        "passed": "You passed.",
    },
    "cy": {
        "start": "Dechrau'r asesiad",
        "page": r"^(?:Cwestiwn|Cwestiynau) (\d+)( i (\d+))? o (\d+)$",
        "title": r"^(?:Cwestiwn|Cwestiynau) \d+( i \d+)? o \d+ – .+ – Recognise$",
        "continue": "Parhau",
        "back": "Yn ôl",
        "check": "Gwiriwch eich atebion",
        "unanswered": r"Nid ydych wedi ateb \d+ (c|g)westiwn",
        "answer": r"^Ateb cwestiwn (\d+)$",
        "submit": "Cyflwyno i'w farcio",
        "passed": "Rydych wedi llwyddo.",
    },
}


SHOWS_ANSWERS = """() => [...document.querySelectorAll("main input, main select")].some(
    control => control.checked || (control.tagName === "SELECT" && control.value !== "")
)"""


def answer_page(keys, page, key):
    for fieldset in page.get_by_role("group").all():
        question, _labels = question_for(fieldset, key)
        keys.answer(fieldset, question, intended_choices(question, correctly=True))


@pytest.mark.parametrize("language", ["en", "cy"])
def test_paged_assessment_with_the_keyboard_alone(page, site, language):
    words = WORDS[language]
    address = f"paged-{language}-{uuid.uuid4().hex[:8]}@example.org"
    site.create_learner(address, "Eira Paged", PASSWORD)
    sign_in(page, address, PASSWORD)
    keys = Keyboard(page)

    page.goto("/en/courses/")
    keys.activate(page.get_by_role("link", name=CORE_COURSE).first)
    course_url = page.url
    keys.activate(page.get_by_role("button", name="Enrol in this course"))
    page.goto(course_url)  # the address bar, as a keyboard user would type it
    keys.activate(page.get_by_role("main").get_by_role("link", name="Final assessment").first)
    if language == "cy":
        keys.activate(page.locator(".language-switcher").get_by_role("button", name="Cymraeg"))
        expect(page.locator("html")).to_have_attribute("lang", "cy")
    keys.activate(page.get_by_role("button", name=words["start"]))

    key = answer_key("recognising-and-responding", language)
    heading = page.get_by_role("heading", level=1)
    pages, last_page_url = 0, None
    while True:
        expect(heading).to_have_text(re.compile(words["page"]))
        first, _to, last, total = re.match(words["page"], heading.inner_text()).groups()
        assert re.match(words["title"], page.title()), page.title()
        assert page.get_by_role("heading", level=1).count() == 1
        assert page.get_by_role("group").count() == int(last or first) - int(first) + 1
        assert_accessible(page)
        pages += 1
        if pages == 1:
            screenshot(page, f"paged-{language}", "01-first-page")
        if int(last or first) == int(total):
            # The last page is left unanswered, to be answered from the check page.
            last_page_url = page.url
            keys.activate(page.get_by_role("button", name=words["continue"], exact=True))
            break
        answer_page(keys, page, key)
        keys.assert_not_trapped()
        if pages == 2:
            # Back saves this page too; both pages show their answers again.
            keys.activate(page.get_by_role("button", name=words["back"], exact=True))
            assert page.evaluate(SHOWS_ANSWERS)
            assert re.match(words["page"], heading.inner_text()).group(1) == "1"
            keys.activate(page.get_by_role("button", name=words["continue"], exact=True))
            assert page.evaluate(SHOWS_ANSWERS)
        keys.activate(page.get_by_role("button", name=words["continue"], exact=True))
    assert pages > 2

    expect(heading).to_have_text(words["check"])
    notice = page.get_by_role("heading", name=re.compile(words["unanswered"]))
    expect(notice).to_be_visible()
    assert page.get_by_text(re.compile(words["submit"])).count()
    screenshot(page, f"paged-{language}", "02-check-answers-unanswered")
    assert_accessible(page)
    keys.assert_not_trapped()

    # Answer the missing questions from the notice's link, then come back to check.
    keys.activate(page.get_by_role("link", name=re.compile(words["answer"])).first)
    assert page.url.split("#")[0] == last_page_url
    assert_accessible(page)
    answer_page(keys, page, key)
    keys.activate(page.get_by_role("button", name=words["continue"], exact=True))
    expect(heading).to_have_text(words["check"])
    expect(notice).to_have_count(0)
    submit = page.get_by_role("button", name=words["submit"], exact=True)
    expect(submit).to_be_visible()
    assert_accessible(page)

    keys.activate(submit)
    expect(page.get_by_text(words["passed"])).to_be_visible()
    assert_accessible(page)
