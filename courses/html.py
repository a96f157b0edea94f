"""Sanitising HTML that arrives from outside the admin's rich text editor."""

import bleach

LESSON_TAGS = {"h2", "h3", "p", "ul", "ol", "li", "b", "i", "a", "br"}
LESSON_ATTRIBUTES = {"a": ["href"]}
LESSON_PROTOCOLS = {"http", "https", "mailto"}


def clean_lesson_html(html):
    """Keep only the lesson formatting set; strip every other tag, attribute and script."""
    return bleach.clean(
        html or "",
        tags=LESSON_TAGS,
        attributes=LESSON_ATTRIBUTES,
        protocols=LESSON_PROTOCOLS,
        strip=True,
    ).strip()
