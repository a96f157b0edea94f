"""Turning what a person typed into a safe search query."""

import re

MAX_QUERY_LENGTH = 200

# Characters the database search backends treat as syntax (SQLite FTS5 phrase quotes,
# grouping, column filters, prefixes); a stray one is a query error, not a search.
SEARCH_SYNTAX = re.compile(r'["()*:^{}\[\]\\]')


def search_terms(raw):
    """Plain words only, at most 200 characters, with search syntax removed."""
    text = SEARCH_SYNTAX.sub(" ", str(raw or "")[:MAX_QUERY_LENGTH])
    return " ".join(text.split())
