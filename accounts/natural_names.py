"""A key that sorts people's names as a reader expects: "Load 2" before "Load 10",
"émile" beside "Emile", capitals and small letters together.

It is stored on each account (User.natural_name) so that a list of 10,000 learners is
sorted by the database and read a page at a time. accounts/migrations/0007 keeps its own
copy of this function for the backfill: change both, and add a migration that fills the
key again, if the rule ever changes.
"""

import re
import unicodedata

DIGITS = re.compile(r"[0-9]+")
NATURAL_NAME_LENGTH = 400


def natural_key(name):
    """The name folded to small letters without accents, each run of digits written as
    its length (two digits) then the number without leading zeros, so that shorter
    numbers sort first and equal lengths sort by value."""
    text = unicodedata.normalize("NFKD", str(name or ""))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = " ".join(text.split())

    def number(match):
        digits = match.group().lstrip("0") or "0"
        return f"{min(len(digits), 99):02d}{digits}"

    return DIGITS.sub(number, text)[:NATURAL_NAME_LENGTH]
