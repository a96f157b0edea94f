"""Turning what a person typed into text that is safe to search and store."""

import re
import unicodedata

from core.rate_limits import is_rate_limited, too_many_requests

MAX_QUERY_LENGTH = 200

# Characters the database search backends treat as syntax (SQLite FTS5 phrase quotes,
# grouping, column filters, prefixes); a stray one is a query error, not a search.
SEARCH_SYNTAX = re.compile(r'["()*:^{}\[\]\\]')


def without_control_characters(raw):
    """The text with control and unpaired surrogate characters removed (Unicode categories
    Cc, Cs): PostgreSQL refuses a NUL in text and SQLite's full-text search ends a query
    at one, so none of them may reach the database."""
    return "".join(
        character
        for character in str(raw or "")
        if unicodedata.category(character) not in ("Cc", "Cs")
    )


def search_terms(raw):
    """Plain words only, at most 200 characters, with search syntax and control
    characters removed."""
    text = SEARCH_SYNTAX.sub(" ", without_control_characters(str(raw or "")[:MAX_QUERY_LENGTH]))
    return " ".join(text.split())


def search_within(pages, query):
    """Search only among `pages`: their filters (sector, topic) go through related
    tables, which the search backend cannot filter on, so the search is given their ids."""
    chosen = pages.model.objects.filter(id__in=list(pages.values_list("id", flat=True)))
    return chosen.search(query, operator="and")


class SearchRateLimitMixin:
    """A page that searches when asked with ?q=: each search counts against the search
    rate limit, as the site search does; browsing and filtering do not."""

    def serve(self, request, *args, **kwargs):
        if search_terms(request.GET.get("q", "")) and is_rate_limited(request, "search"):
            return too_many_requests(request, "search")
        return super().serve(request, *args, **kwargs)
