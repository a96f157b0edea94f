"""The learner journey with the keyboard alone, as a person who cannot use a mouse takes it."""

import re
import uuid

from playwright.sync_api import expect

from tests.browser.actions import Keyboard, answer_key, intended_choices, question_for

CORE_COURSE = "Recognising and responding to trafficked children"
PASSWORD = "a-long-keyboard-passphrase"

START_OR_CONTINUE = re.compile("^(Continue where you left off|Start course)")


def test_learner_completes_the_core_course_with_the_keyboard_alone(page, site):
    address = f"keyboard-{uuid.uuid4().hex[:8]}@example.org"
    site.create_learner(address, "Rhys Keyboard", PASSWORD)
    keys = Keyboard(page)

    page.goto("/en/")
    keys.activate(page.get_by_role("link", name="Sign in"))
    keys.tab_to(page.get_by_label("Email"))
    page.keyboard.type(address)
    # The address first; the password step then opens with its field focused.
    keys.activate(page.get_by_role("button", name="Continue"))
    expect(page.get_by_label(re.compile("^Password"))).to_be_focused()
    page.keyboard.type(PASSWORD)
    keys.activate(page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("link", name="My learning")).to_be_visible()
    keys.assert_not_trapped()

    keys.activate(page.get_by_role("navigation", name="Main").get_by_role("link", name="Courses"))
    keys.activate(page.get_by_role("link", name=CORE_COURSE).first)
    course_url = page.url
    keys.activate(page.get_by_role("button", name="Enrol in this course"))

    while True:
        keys.activate(page.get_by_role("link", name=START_OR_CONTINUE))
        complete = page.get_by_role("button", name="Mark as complete and continue")
        if not complete.count():
            break
        keys.assert_not_trapped()
        keys.activate(complete)
        page.goto(course_url)  # the address bar, as a keyboard user would type it

    expect(page.get_by_role("heading", level=1)).to_have_text("Final assessment")
    keys.activate(page.get_by_role("button", name="Start the assessment"))
    key = answer_key("recognising-and-responding")
    kinds = set()
    # The final assessment is paged: each page's questions, then Continue, up to the page
    # that checks the answers.
    while True:
        for fieldset in page.get_by_role("group").all():
            question, _labels = question_for(fieldset, key)
            kinds.add(question["kind"])
            keys.answer(fieldset, question, intended_choices(question, correctly=True))
        keys.assert_not_trapped()
        next_page = page.get_by_role("button", name="Continue", exact=True)
        if not next_page.count():
            break
        keys.activate(next_page)
    assert kinds == {"single", "multiple", "true_false", "ordering"}
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    keys.activate(page.get_by_role("button", name="Submit for marking"))
    expect(page.get_by_text(re.compile("You passed", re.I))).to_be_visible()
    keys.activate(page.get_by_role("link", name="My learning"))
    expect(page.get_by_role("region", name="Certificates")).to_contain_text(CORE_COURSE)
