from django import template

from core.safe_urls import safe_url

from ..sanitising import clean_html, clean_rich_text

register = template.Library()


@register.filter
def clean_richtext(value):
    """Like Wagtail's |richtext, but through the site's bleach policy as well."""
    return clean_rich_text(value)


@register.filter(name="clean_html")
def clean_html_filter(value):
    """Sanitise HTML made from editor input elsewhere (for example an embed)."""
    return clean_html(value)


@register.filter(name="safe_url")
def safe_url_filter(value):
    """A stored URL when its scheme is allowed, else "" so the template shows plain text."""
    return safe_url(value or "")
