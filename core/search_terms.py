"""Turning what a person typed into text that is safe to search and store."""

import re
import unicodedata

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
