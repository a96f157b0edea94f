"""The one check every URL printed from stored data passes before it becomes a link.

Editors' links (source blocks, rich text), embeds and images can reach the database
by paths that skip the admin's forms: an import, a translation override, a script. So
the check is made when the page is rendered, on what a browser would read: character
references decoded, the spaces and control characters browsers ignore around a URL
and inside its scheme removed, case folded. A URL passes when it has no scheme (a
path on this site) or one of ALLOWED_SCHEMES; anything else (javascript:, data:,
vbscript:, ...) is refused and the text is shown without a link.
"""

import html
import re
from urllib.parse import urlsplit

from core.csp import VIDEO_PLAYERS

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Browsers drop C0 controls and spaces at either end of a URL, and tabs and line
# breaks anywhere in it (WHATWG URL standard), so "java\tscript:" is javascript:.
_IGNORED_AT_ENDS = "".join(chr(code) for code in range(0x21))
_IGNORED_INSIDE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([^/?#]*?):")


def _as_browser_reads(url):
    text = html.unescape(str(url))
    return _IGNORED_INSIDE.sub("", text.strip(_IGNORED_AT_ENDS))


def url_scheme(url):
    """The scheme a browser would see, lower case, or "" for a relative URL."""
    match = _SCHEME.match(_as_browser_reads(url))
    return match.group(1).lower() if match else ""


def is_safe_url(url):
    """True when the URL is relative or uses one of the allowed schemes."""
    if url is None:
        return False
    text = _as_browser_reads(url)
    if not text:
        return False
    # Anything before the first / ? or # that ends in a colon is a scheme to a browser,
    # whatever characters it holds ("java script:" is not valid, but refuse it anyway).
    return url_scheme(text) in ALLOWED_SCHEMES | {""}


def safe_url(url):
    """The URL as given when it is safe to link to, otherwise an empty string."""
    return str(url).strip() if is_safe_url(url) else ""


def is_embed_provider_url(url):
    """An https address on one of the video players the Content Security Policy frames."""
    text = _as_browser_reads(url)
    if url_scheme(text) != "https":
        return False
    parts = urlsplit(text)
    origin = f"https://{parts.netloc.lower()}"
    return origin in VIDEO_PLAYERS and not parts.username and not parts.password
