"""The request's reference in a template rendered without a request, such as the error page."""

from django import template

from core.request_ids import current_request_id

register = template.Library()


@register.simple_tag
def request_id():
    return current_request_id() or ""
