"""Avatars drawn from a person's initials, as an inline SVG.

Wagtail would fetch avatars from Gravatar, which the site's Content Security Policy
blocks (and which would tell a third party who uses the admin); initials need no
outside service."""

from base64 import b64encode
from hashlib import sha256
from xml.sax.saxutils import escape

# Dark backgrounds that keep white initials above 4.5:1 contrast.
BACKGROUNDS = ["#1d4f91", "#6b2c91", "#00703c", "#8a3b12", "#3d4a57", "#80224d"]


def initials(user):
    """ "Ffion Hughes" gives "FH"; someone with no name yet gets their address's first letter."""
    name = (user.get_full_name() or "").strip()
    words = name.split("@")[0].split() if "@" in name else name.split()
    letters = (words[0][:1] + words[-1][:1] if len(words) > 1 else "".join(words)[:1]).upper()
    return letters or "?"


def avatar_data_url(user, size):
    key = str(getattr(user, "pk", "") or getattr(user, "email", ""))
    colour = BACKGROUNDS[int(sha256(key.encode()).hexdigest(), 16) % len(BACKGROUNDS)]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 100 100"><rect width="100" height="100" fill="{colour}"/>'
        f'<text x="50" y="50" dy="0.35em" text-anchor="middle" fill="#fff" '
        f'font-family="sans-serif" font-size="42">{escape(initials(user))}</text></svg>'
    )
    return "data:image/svg+xml;base64," + b64encode(svg.encode()).decode()
