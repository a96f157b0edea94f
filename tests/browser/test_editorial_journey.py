"""Guidance changes go live only after a safeguarding reviewer and a publisher approve them."""

import datetime
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


def test_editor_writes_new_guidance_in_one_step_and_sends_it_for_review(new_page):
    editor, reviewer, visitor = new_page(), new_page(), new_page()
    title = f"Supporting a child through an age assessment {uuid.uuid4().hex[:6]}"

    sign_in_with_authenticator(editor, "editor@example.org")
    editor.goto("/admin/")
    panel = editor.get_by_role("region", name="Your guidance")
    panel.get_by_role("link", name="Write new guidance for Demo Children's Charity").click()
    # Straight to the form: no choosing where the page goes or what kind of page it is.
    expect(editor).to_have_url(re.compile(r"/admin/pages/add/guidance/guidancepage/\d+/$"))
    expect(editor.get_by_role("heading", level=1)).to_contain_text("New: Guidance page")

    editor.get_by_role("textbox", name="Title*").fill(title)
    editor.get_by_role("textbox", name="Summary*").fill(
        "Stay with the child, explain each step and record what they tell you."
    )
    editor.get_by_role("region", name="Audience sectors").get_by_role(
        "combobox", name="Sector*"
    ).select_option(label="Children's social care")
    body = editor.get_by_role("region", name="Body*")
    body.get_by_role("button", name="Insert a block").click()
    editor.get_by_role("option", name="Text", exact=True).click()
    body.get_by_role("region", name="Text *").get_by_role("textbox").click()
    editor.keyboard.type("A child may be frightened of officials; say who you are and why.")
    sources = editor.get_by_role("region", name="Sources*")
    sources.get_by_role("button", name="Insert a block").click()
    source = sources.get_by_role("region", name="Source")
    source.get_by_role("textbox", name="Title*").fill("Age assessment guidance")
    source.get_by_role("textbox", name="Organisation*").fill("Home Office")
    review = editor.get_by_role("region", name="Review")
    today = datetime.date.today()
    for label, day in (
        ("Last reviewed*", today),
        ("Next review due*", today + datetime.timedelta(days=365)),
    ):
        review.get_by_role("textbox", name=label).fill(day.strftime("%d/%m/%Y"))
        # The date picker opens beside the box; moving on with Tab closes it again.
        date_picker = editor.locator(".xdsoft_datetimepicker:visible")
        expect(date_picker).to_be_visible()
        editor.keyboard.press("Tab")
        expect(date_picker).to_have_count(0)
    editor.get_by_role("button", name="Save draft").click()
    expect(editor.get_by_text(f"Page '{title}' created.")).to_be_visible()

    # Once saved, sending it for review is the main button.
    actions = editor.get_by_role("navigation", name="Actions (footer)")
    expect(actions.get_by_role("button").first).to_have_text("Submit for safeguarding review")
    actions.get_by_role("button", name="Submit for safeguarding review").click()
    expect(editor.get_by_text(f"‘{title}’ has been sent for safeguarding review.")).to_be_visible()
    screenshot(editor, "editorial", "05-new-page-submitted")

    editor.goto("/admin/")
    panel = editor.get_by_role("region", name="Your guidance")
    in_review = panel.locator("h3:text-is('Sent for safeguarding review') + ul")
    expect(in_review.get_by_role("link", name=title)).to_be_visible()
    drafts = panel.locator("h3:text-is('Your drafts') + ul")
    expect(drafts.get_by_role("link", name=title)).to_have_count(0)

    visitor.goto("/en/guidance/")
    expect(visitor.get_by_role("heading", level=1)).to_be_visible()
    expect(visitor.get_by_text(title)).to_have_count(0)

    sign_in_with_authenticator(reviewer, "reviewer@example.org")
    reviewer.goto("/admin/")
    awaiting = reviewer.get_by_role("region", name="Awaiting your review")
    expect(awaiting.get_by_role("link", name=re.compile(f"^{title}"))).to_be_visible()
