"""Reading allauth's pages as a person would: their words, their buttons, their title."""

import re
from html.parser import HTMLParser

# allauth's own English, as it would show if a page or message escaped our catalogues.
ALLAUTH_ENGLISH = [
    "Sign In",
    "Sign in",
    "Sign Up",
    "Sign up",
    "Sign Out",
    "Sign out",
    "Remember Me",
    "Remember me",
    "Password",
    "password",
    "Email",
    "email address",
    "Forgot",
    "Forgotten",
    "Two-Factor",
    "two-factor",
    "Authenticator",
    "authenticator",
    "Security key",
    "security key",
    "Recovery codes",
    "recovery codes",
    "Cancel",
    "Confirm",
    "Verify",
    "Code",
    "There is a problem",
    "Error:",
    "Please",
    "Alternative options",
    "This field is required",
    "Enter a valid",
    "This password",
    "Your password",
    "You must type",
    "The email address and/or password",
    "Hello from",
]


class VisibleText(HTMLParser):
    """A page's text as a person meets it: the title, the text, and the attributes
    read aloud or shown (labels, values of buttons, alternatives)."""

    READ_ATTRIBUTES = {"placeholder", "aria-label", "title", "alt"}

    def __init__(self):
        super().__init__()
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.skipping += 1
        for name, value in attrs:
            if name in self.READ_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def english_left_on(html):
    """allauth's English phrases a Welsh page still shows."""
    text = visible_text(html)
    return [phrase for phrase in ALLAUTH_ENGLISH if phrase in text]


def page_title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def primary_buttons(html):
    """The page's primary buttons: the site's plain "button" class, not a secondary,
    warning or link-style one."""
    return re.findall(r'<(?:button|a)\b[^>]*\bclass="button"[^>]*>', html)
