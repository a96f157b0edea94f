"""Form fields on the account pages, drawn the site's way."""

import copy

from allauth.mfa.models import Authenticator
from django import template

register = template.Library()


@register.simple_tag
def field_input(field):
    """The field's input without a placeholder (its label says what to enter, and a
    placeholder vanishes as soon as someone types), described by its hint and errors."""
    widget = copy.copy(field.field.widget)
    widget.attrs = {name: value for name, value in widget.attrs.items() if name != "placeholder"}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}-errors")
    attrs = {"aria-describedby": " ".join(described_by)} if described_by else None
    return field.as_widget(widget=widget, attrs=attrs)


# allauth's tags for actions that are not the page's main one.
CANCELLING = {"link", "cancel"}
WARNING = {"danger"}
SECONDARY = {"outline", "secondary", "minor", "tool", "panel"}


@register.filter
def button_class(attrs):
    """The site's class for an allauth button. Each page has one primary button: the
    submit button allauth marks with no lesser tag. Cancelling is a link-style button,
    removing a warning button, and links and other actions are secondary buttons
    ("Make primary" beside an address too: adding or changing one is that page's aim)."""
    tags = set(attrs.get("tags") or ())
    if tags & CANCELLING:
        return "link-button"
    if tags & WARNING:
        return "button button--danger"
    if attrs.get("href") or tags & SECONDARY or attrs.get("name") == "action_primary":
        return "button button--secondary"
    return "button"


@register.simple_tag
def has_security_key(user):
    """Whether the person signing in has a security key to offer instead of a code."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).exists()
