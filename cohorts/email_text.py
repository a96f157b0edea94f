"""Text people type (a cohort's name, a trainer's own name) made safe to quote in an email.

Emails are plain text, so nothing in them is markup; but mail programs turn anything that
looks like an address into a link, and a subject or a line of its own can pass for the
platform's words. So the text is made one line, without control or invisible characters,
cut to a length, and any web or email address in it is written so that no mail program
links it ("evil[.]example", "https[:]//"). The templates then quote it and say whose words
it is.
"""

import re
import unicodedata

# Long enough for "Response officers, January intake, North division 2026/27"; a cohort's
# name is refused longer than this (cohorts.forms), so only older names are ever cut.
COHORT_NAME_LIMIT = 100
PERSON_NAME_LIMIT = 80

# A scheme such as https:// or mailto:, a dot between two parts of a domain name (the part
# after it has a letter and two characters or more: not "v2.0", not "e.g."), and the dots of
# an IPv4 address.
SCHEME = re.compile(r"\b([a-z][a-z0-9+.-]*):(?=//|[^\s/]*@)", re.IGNORECASE)
DOMAIN_DOT = re.compile(r"(?<=[\w-])\.(?=[\w-]*[^\W\d_])(?=[\w-]{2})")
IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")


def one_line(text):
    """Line breaks, tabs, other control characters and every kind of space become one
    space; invisible characters (zero-width spaces, direction overrides, private and
    unassigned code points) are removed."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" or category[0] == "Z":
            kept.append(" ")
        elif category[0] != "C":
            kept.append(char)
    return " ".join("".join(kept).split())


def has_hidden_characters(text):
    """Whether the text has line breaks, tabs or other control or invisible characters."""
    return any(
        unicodedata.category(char)[0] == "C" or unicodedata.category(char) in ("Zl", "Zp")
        for char in str(text)
    )


def has_address(text):
    """Whether the text holds something a mail program could make into a link."""
    text = one_line(text)
    return unlinked(text) != text


def unlinked(text):
    text = SCHEME.sub(r"\1[:]", text)
    text = IPV4.sub(lambda match: match.group().replace(".", "[.]"), text)
    return DOMAIN_DOT.sub("[.]", text)


def cut(text, limit):
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def quotable(text, limit):
    """Someone's words as they may appear in an email: one line, no link, at most
    `limit` characters (addresses written out of link form can only get longer, so the
    text is cut first and again after)."""
    return cut(unlinked(cut(one_line(text), limit)), limit)
