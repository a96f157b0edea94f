"""Requests carrying a NUL character are refused before any view reads them.

PostgreSQL cannot store or compare text holding a NUL ("\\x00"), and SQLite's full-text
search ends a query at one, so a NUL in an address, a query string or a form reached
the database as a server error wherever a view passed the value on (searches, filters,
tokens, Wagtail's and allauth's views alike). No person types one: the request is
answered 400 (recognise/templates/400.html). Other control characters are harmless to
the databases; searches drop them with the rest of the search syntax
(core/search_terms.py).
"""

from django.core.exceptions import BadRequest
from django.http.multipartparser import MultiPartParserError

NUL = "\x00"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def holds_nul(values):
    return any(NUL in key or any(NUL in value for value in items) for key, items in values.lists())


class RefuseNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or holds_nul(request.GET):
            raise BadRequest("NUL character in the address")
        # Forms are read here as the CSRF check reads them next (no view of ours changes
        # the upload handlers); a body that cannot be parsed is left to the view.
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            try:
                posted = request.POST
            except MultiPartParserError:
                posted = None
            if posted is not None and holds_nul(posted):
                raise BadRequest("NUL character in the form")
        return self.get_response(request)
