"""Which pages exist in which language, for the language switcher."""

from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import translation

from core.page_routing import find_site, route


def is_available_in(request, path, language_code):
    """Whether the page at this address exists in the language. Site views always do;
    a Wagtail page does only when it has a live translation (guidance written by an
    organisation in English, for example, may have none)."""
    with translation.override(language_code):
        try:
            match = resolve(path)
        except Resolver404:
            return False
        if match.url_name != "wagtail_serve":
            return True
        site, home_translation_key = find_site(request)
        if site is None:
            return False
        page_path = match.kwargs.get("path") or (match.args[0] if match.args else "")
        try:
            route(request, site, home_translation_key, page_path)
        except Http404:
            return False
    return True
