"""The bleach policy for everything editors write, applied when it is rendered.

Wagtail's editor already limits rich text, but drafts, previews, imports and API
writes can carry raw HTML, so every rendering of editor HTML passes through here:
an allow-list of tags, attributes and URL schemes, with no scripts, event handlers,
inline styles, or javascript: and data: links.
"""

import html

import bleach
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "b",
    "strong",
    "i",
    "em",
    "a",
    "blockquote",
    "figure",
    "figcaption",
    "img",
    "div",
    "span",
    "iframe",
}
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "img": ["src", "alt", "width", "height", "class", "loading"],
    "div": ["class"],
    "span": ["class"],
    "figure": ["class"],
    # Embeds (videos) come from Wagtail's oEmbed finders, still filtered to safe attributes.
    "iframe": ["src", "title", "width", "height", "allow", "allowfullscreen", "frameborder"],
}
ALLOWED_PROTOCOLS = {"http", "https", "mailto", "tel"}


def clean_html(value):
    """Sanitised HTML, safe to put in a page as is."""
    return mark_safe(  # noqa: S308 (bleach has just removed everything not allowed)
        bleach.clean(
            str(value or ""),
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
        )
    )


def clean_rich_text(value):
    """Wagtail rich text (its database format) expanded to HTML, then sanitised."""
    source = value.source if hasattr(value, "source") else str(value or "")
    return clean_html(expand_db_html(source))


def plain_text(value):
    """Editor text that should hold no markup at all, with any tags removed."""
    return html.unescape(
        bleach.clean(str(value or ""), tags=set(), strip=True, strip_comments=True)
    )
