"""The bleach policy for everything editors write, applied when it is rendered.

Wagtail's editor already limits rich text, but drafts, previews, imports and API
writes can carry raw HTML, so every rendering of editor HTML passes through here:
an allow-list of tags, attributes and URL schemes, with no scripts, event handlers,
inline styles, or javascript: and data: links. Links pass core.safe_urls (the one
scheme allow-list for every URL printed from stored data); images stay only when they
are our own renditions, and frames only when they come from the video players the
Content Security Policy names. Whatever stored them, anything else is removed.
"""

import html
from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter
from django.utils.safestring import mark_safe
from wagtail.images.models import get_rendition_storage
from wagtail.rich_text import expand_db_html

from core.safe_urls import ALLOWED_SCHEMES, is_embed_provider_url, is_safe_url

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
ALLOWED_PROTOCOLS = ALLOWED_SCHEMES


def is_own_image_url(url):
    """True for an address in the folder where Wagtail stores image renditions."""
    probe = urlsplit(get_rendition_storage().url("images/probe"))
    folder = probe.path[: -len("probe")]
    parts = urlsplit(str(url))
    return (
        (parts.scheme, parts.netloc) == (probe.scheme, probe.netloc)
        and parts.path.startswith(folder)
        and ".." not in parts.path
        and "\\" not in parts.path
    )


def allowed_attribute(tag, name, value):
    """bleach's attribute check: the allow-list, then the URL rules above."""
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if tag == "a" and name == "href":
        return is_safe_url(value)
    if tag == "img" and name == "src":
        return is_own_image_url(value)
    if tag == "iframe" and name == "src":
        return is_embed_provider_url(value)
    return True


class DropUnsourcedMedia(Filter):
    """Removes <img> and <iframe> elements whose src the attribute check refused."""

    def __iter__(self):
        dropping = 0
        for token in super().__iter__():
            name = token.get("name")
            kind = token["type"]
            opens_media = name in ("img", "iframe") and kind in ("StartTag", "EmptyTag")
            if opens_media and not any(attr == "src" for _, attr in token.get("data", {})):
                if name == "iframe" and kind == "StartTag":
                    dropping += 1
                continue
            if dropping:
                if name == "iframe" and kind == "EndTag":
                    dropping -= 1
                continue
            yield token


def clean_html(value):
    """Sanitised HTML, safe to put in a page as is."""
    # A Cleaner is not thread-safe, so each call has its own (as bleach.clean does).
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[DropUnsourcedMedia],
    )
    return mark_safe(cleaner.clean(str(value or "")))  # noqa: S308 (only what is allowed is left)


def clean_rich_text(value):
    """Wagtail rich text (its database format) expanded to HTML, then sanitised."""
    source = value.source if hasattr(value, "source") else str(value or "")
    return clean_html(expand_db_html(source))


def plain_text(value):
    """Editor text that should hold no markup at all, with any tags removed."""
    return html.unescape(
        bleach.clean(str(value or ""), tags=set(), strip=True, strip_comments=True)
    )
