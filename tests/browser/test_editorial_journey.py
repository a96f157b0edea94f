"""Guidance changes go live only after a safeguarding reviewer and a publisher approve them."""

import re
import uuid

from playwright.sync_api import Page, expect

from tests.browser.actions import screenshot, sign_in_with_authenticator

GUIDANCE_TITLE = "Working with interpreters when a child may have been trafficked"


def open_in_admin(page: Page, title):
    """Editors search for the page; reviewers and publishers find it on their dashboard."""
    page.goto("/admin/")
    awaiting = page.get_by_role("link", name=re.compile(f"^{title}"))
    if not awaiting.count():
        page.goto("/admin/pages/search/?q=interpreters")
    page.get_by_role("link", name=re.compile(f"^{title}")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def choose_action(page: Page, name):
    """Wagtail keeps the workflow actions in the menu beside the primary button."""
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=name).click()


def test_guidance_change_is_reviewed_rejected_resubmitted_approved_and_published(new_page, site):
    editor, reviewer, publisher, learner = new_page(), new_page(), new_page(), new_page()
    summary = f"Use a professional interpreter, never a companion. ({uuid.uuid4().hex[:6]})"

    sign_in_with_authenticator(editor, "editor@example.org")
    open_in_admin(editor, GUIDANCE_TITLE)
    editor.get_by_role("textbox", name=re.compile("^Summary")).fill(summary)
    # Once a page is saved, sending it for review is the editor's main button.
    editor.get_by_role("button", name="Submit for safeguarding review").click()
    expect(editor.get_by_text(re.compile("sent for safeguarding review")).first).to_be_visible()
    screenshot(editor, "editorial", "01-submitted")

    learner.goto("/en/guidance/")
    expect(learner.get_by_text(summary)).to_have_count(0)

    sign_in_with_authenticator(reviewer, "reviewer@example.org")
    open_in_admin(reviewer, GUIDANCE_TITLE)
    choose_action(reviewer, re.compile("Request changes"))
    dialog = reviewer.get_by_role("dialog")
    dialog.get_by_label(re.compile("Comment")).fill("Say why a family member must not interpret.")
    dialog.get_by_role("button", name=re.compile("Request changes")).click()
    screenshot(reviewer, "editorial", "02-changes-requested")

    open_in_admin(editor, GUIDANCE_TITLE)
    editor.get_by_role("button", name="Toggle status").click()
    expect(editor.get_by_text("Changes requested").first).to_be_visible()
    editor.get_by_role("button", name="View details").click()
    expect(
        editor.get_by_role("dialog").get_by_text("Say why a family member must not interpret.")
    ).to_be_visible()
    editor.keyboard.press("Escape")
    summary = summary.replace("never a companion", "never a companion or relative")
    editor.get_by_role("textbox", name=re.compile("^Summary")).fill(summary)
    editor.get_by_role("button", name="Resubmit for safeguarding review").click()
    screenshot(editor, "editorial", "03-resubmitted")

    open_in_admin(reviewer, GUIDANCE_TITLE)
    # Approving is the reviewer's main button.
    reviewer.get_by_role("button", name=re.compile("^Approve$")).click()
    learner.reload()
    expect(learner.get_by_text(summary)).to_have_count(0)

    sign_in_with_authenticator(publisher, "publisher@example.org")
    open_in_admin(publisher, GUIDANCE_TITLE)
    # The last step of the workflow publishes the page.
    publisher.get_by_role("button", name=re.compile("^Approve and publish$", re.I)).click()
    screenshot(publisher, "editorial", "04-published")

    learner.goto("/en/guidance/")
    learner.get_by_role("link", name=GUIDANCE_TITLE).first.click()
    expect(learner.get_by_text(summary)).to_be_visible()
