"""What people do on the site, written as they would do it: by visible labels and roles."""

import email
import re
import time
from email import policy
from pathlib import Path

import yaml
from allauth.mfa import app_settings as mfa_settings
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from recognise.demo.people import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.signing_in import totp_code

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = PROJECT_DIR / "var" / "screenshots"
MOBILE = {"width": 390, "height": 844}
# axe-core rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()


def shown(locator):
    """How many elements the locator finds on the page once it has loaded. A click that
    navigates returns as the next page starts to arrive, so counting straight after one
    could count a page the browser has not read yet (and find nothing)."""
    locator.page.wait_for_load_state("domcontentloaded")
    return locator.count()


# Signing in -------------------------------------------------------------------------


def sign_in(page: Page, email_address, password=DEMO_PASSWORD, *, language="en", base_url=""):
    page.goto(f"{base_url}/{language}/accounts/login/")
    page.get_by_label(re.compile("^Email|^E-bost")).fill(email_address)
    # The address first; the password is asked for next (sso/forms.py).
    page.get_by_role("button", name=re.compile("^(Continue|Parhau)$")).click()
    page.get_by_label(re.compile("^Password|^Cyfrinair")).fill(password)
    page.get_by_role("button", name=re.compile("Sign in|Mewngofnodi", re.I)).click()


def fresh_totp_code(email_address, secret):
    """A code this account has not used yet: a code is accepted once, so a second sign-in
    within the same 30 seconds waits for the next one, as a person would."""
    period = mfa_settings.TOTP_PERIOD
    while int(time.time()) // period <= _codes_used.get(email_address, -1):
        time.sleep(period - time.time() % period + 0.1)
    # Typing the code into the page takes a moment; leave it time to arrive in the same period.
    code = totp_code(secret, margin=5.0)
    _codes_used[email_address] = int(time.time()) // period
    return code


_codes_used = {}


def sign_in_with_authenticator(page: Page, email_address, secret=DEMO_TOTP_SECRET):
    """Staff sign in with a password, then the code their authenticator app shows.

    A code is accepted once, so signing the same person in again within its 30 seconds
    would wait for the next code. Someone who already signed in during this run carries
    on in that session instead, as a person reopening their browser would; the first
    sign-in of each, and any after a sign-out, go through both steps."""
    if not resume_staff_session(page, email_address):
        sign_in(page, email_address)
        for _attempt in range(2):
            page.get_by_label(re.compile("code", re.I)).fill(fresh_totp_code(email_address, secret))
            page.get_by_role("button", name=re.compile("Sign in|Authenticate", re.I)).click()
            # A code used by an earlier run against the same kept site is refused; try the next.
            if not page.get_by_text("Incorrect code.").count():
                break
    # Signed in, each lands where their work is: editors and reviewers in the admin, the
    # others on the site, with its Sign out button.
    expect(page).not_to_have_url(re.compile(r"/accounts/"))
    if "/admin/" not in page.url:
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    _staff_sessions[email_address] = (page.context.cookies(), page.url)


_staff_sessions = {}


def resume_staff_session(page: Page, email_address):
    """Open the page this person landed on when they signed in, in their session from
    then; False, with no cookie left behind, if that session has ended."""
    if email_address not in _staff_sessions:
        return False
    cookies, landing_url = _staff_sessions.pop(email_address)
    page.context.add_cookies(cookies)
    page.goto(landing_url)
    # An ended session is sent to sign in again.
    if page.url != landing_url:
        page.context.clear_cookies()
        return False
    return True


def sign_out(page: Page):
    page.get_by_role("button", name=re.compile("Sign out|Allgofnodi")).click()


def switch_language(page: Page, language_name):
    """The language switcher in the header: a link for visitors, a button (a form that
    saves the choice) for people signed in."""
    switcher = page.locator(".language-switcher")
    switcher.get_by_role("link", name=language_name).or_(
        switcher.get_by_role("button", name=language_name)
    ).click()


# Mail -------------------------------------------------------------------------------


def latest_mail_to(mail_dir, address):
    """The newest message sent to this address, as the person would open it."""
    messages = []
    for path in sorted(Path(mail_dir).glob("*.log"), key=lambda p: p.stat().st_mtime):
        # The file backend writes several messages to one file, separated by a line of dashes.
        for chunk in path.read_text().split("-" * 79):
            message = email.message_from_string(chunk.strip(), policy=policy.default)
            if address in (message["To"] or ""):
                messages.append(message)
    assert messages, f"No message was sent to {address}."
    return messages[-1]


def link_in(message, pattern):
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(rf"https?://\S*{pattern}\S*", body)
    assert match, f"No link matching {pattern!r} in:\n{body}"
    return match.group(0)


# Evidence ---------------------------------------------------------------------------


def screenshot(page: Page, journey, name):
    """Save the screen at desktop and mobile widths for a person to look at later."""
    folder = SCREENSHOT_DIR / journey
    folder.mkdir(parents=True, exist_ok=True)
    desktop = page.viewport_size
    page.screenshot(path=folder / f"{name}-desktop.png", full_page=True)
    page.set_viewport_size(MOBILE)
    page.screenshot(path=folder / f"{name}-mobile.png", full_page=True)
    page.set_viewport_size(desktop)


def assert_accessible(page: Page):
    """axe-core finds no WCAG 2.2 AA violation on the page as it is now."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = results.response["violations"]
    report = "\n".join(
        f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    {node['target']}" for node in violation["nodes"][:5])
        for violation in violations
    )
    assert not violations, f"Accessibility violations on {page.url}:\n{report}"


# Assessments ------------------------------------------------------------------------


def answer_key(course_slug, language="en"):
    """The questions in a course's assessments, as written in its content file."""
    folder = PROJECT_DIR / "content" / ("cy/assessments" if language == "cy" else "assessments")
    data = yaml.safe_load((folder / f"{course_slug}.yaml").read_text())
    questions = list(data.get("questions", []))
    for scenario in data.get("scenarios", []):
        questions.extend(scenario["questions"])
    return questions


def words(text):
    return " ".join(text.split())


def question_for(fieldset, key):
    """The question a fieldset asks: by its options, then its prompt (true/false share options)."""
    labels = [words(text) for text in fieldset.locator("label").all_inner_texts()]
    legend = words(fieldset.locator("legend").inner_text())
    matches = [
        question
        for question in key
        if {words(option["text"]) for option in question["options"]} == set(labels)
    ]
    if len(matches) > 1:
        matches = [question for question in matches if words(question["prompt"]) in legend]
    assert len(matches) == 1, f"Cannot tell which question this is: {legend}"
    return matches[0], labels


def intended_choices(question, *, correctly):
    """The options a learner picks: the right ones, or a wrong pick for each question."""
    options = question["options"]
    if question["kind"] == "ordering":
        texts = [words(option["text"]) for option in options]
        order = texts if correctly else list(reversed(texts))
        return {text: position for position, text in enumerate(order, start=1)}
    right = [words(option["text"]) for option in options if option.get("correct")]
    wrong = [words(option["text"]) for option in options if not option.get("correct")]
    return set(right) if correctly else {wrong[0]}


CONTINUE = re.compile("^(Continue|Parhau)$")


def answer_assessment(page: Page, course_slug, *, correctly, language="en"):
    """Answer every question with the mouse: on the attempt's one page, or page by page
    up to the page that checks the answers, where "Submit for marking" is then."""
    key = answer_key(course_slug, language)
    while True:
        answer_questions_shown(page, key, correctly=correctly)
        next_page = page.get_by_role("button", name=CONTINUE)
        if not shown(next_page):
            return
        next_page.click()


def answer_questions_shown(page: Page, key, *, correctly):
    fieldsets = page.get_by_role("group")
    for index in range(shown(fieldsets)):
        fieldset = fieldsets.nth(index)
        question, labels = question_for(fieldset, key)
        choices = intended_choices(question, correctly=correctly)
        if question["kind"] == "ordering":
            for text, position in choices.items():
                fieldset.get_by_label(text, exact=True).select_option(str(position))
        else:
            for text in labels:
                control = fieldset.get_by_label(text, exact=True)
                if text in choices:
                    control.check()
                elif question["kind"] == "multiple":
                    control.uncheck()


# The keyboard alone ----------------------------------------------------------------

# Where focus is, read in one round trip to the browser after each key: the focused
# element described ("" on the page itself), whether its focus can be seen, and whether
# it is one of the elements a locator found (when called with them).
FOCUS = """(elements) => {
    const element = document.activeElement;
    if (!element || element === document.body) {
        return {focused: "", visible: true, reached: false};
    }
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return {
        focused: element.tagName + (element.id ? "#" + element.id : "") + " " +
            (element.textContent || element.value || "").trim().slice(0, 40),
        visible: outline || style.boxShadow !== "none",
        reached: Array.isArray(elements) && elements.includes(element),
    };
}"""


class Keyboard:
    """Moves through a page with Tab only, checking at every stop that focus can be seen."""

    def __init__(self, page: Page, limit=400):
        self.page = page
        self.limit = limit

    def tab_to(self, locator):
        """Press Tab until the element (or one of the elements) has focus."""
        for _step in range(self.limit):
            self.page.keyboard.press("Tab")
            focus = locator.evaluate_all(FOCUS)
            assert focus["visible"], f"Focus is not visible on {focus['focused']}"
            if focus["reached"]:
                return
        raise AssertionError(f"Tab never reached {locator} on {self.page.url}")

    def activate(self, locator):
        """Follow a link or press a button with Enter, and wait for the page it opens."""
        self.tab_to(locator)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def assert_not_trapped(self):
        """Tabbing forward leaves the page's last control and comes back round."""
        seen = []
        for _step in range(self.limit):
            self.page.keyboard.press("Tab")
            focused = self.page.evaluate(FOCUS)["focused"]
            if not focused or (seen and focused == seen[0]):
                return
            seen.append(focused)
        raise AssertionError(f"Focus is trapped on {self.page.url}: {seen[-5:]}")

    def choose_radio(self, fieldset, label):
        target = fieldset.get_by_label(label, exact=True)
        # Tab stops once in a group of radio buttons; the arrow keys move between them.
        self.tab_to(fieldset.get_by_role("radio"))
        for _step in range(fieldset.get_by_role("radio").count() + 1):
            if target.evaluate("element => element === document.activeElement"):
                self.page.keyboard.press("Space")
                break
            self.page.keyboard.press("ArrowDown")
        expect(target).to_be_checked()

    def answer(self, fieldset, question, choices):
        """Answer one question, of any kind, from the keyboard."""
        if question["kind"] == "ordering":
            for select in fieldset.get_by_role("combobox").all():
                label = words(select.evaluate("element => element.labels[0].textContent"))
                self.tab_to(select)
                self.page.keyboard.press("Home")
                for _place in range(choices[label]):
                    self.page.keyboard.press("ArrowDown")
                expect(select).to_have_value(str(choices[label]))
        elif question["kind"] == "multiple":
            for checkbox in fieldset.get_by_role("checkbox").all():
                label = words(checkbox.evaluate("element => element.labels[0].textContent"))
                self.tab_to(checkbox)
                if (label in choices) != checkbox.is_checked():
                    self.page.keyboard.press("Space")
        else:
            (label,) = choices
            self.choose_radio(fieldset, label)
