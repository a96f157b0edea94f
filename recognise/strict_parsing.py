"""Reading numbers and ids from requests strictly.

`str.isdigit()` is true for digits such as "²" that int() refuses, and int() takes
digits of other scripts ("٣", "１") that nobody meant as an id; a UUID field refuses
anything else with an exception. These answer None instead, so a view can refuse with
a clear message or a 404.
"""

import re
import uuid

ASCII_NUMBER = re.compile(r"[0-9]{1,18}")


def ascii_int(value):
    """The number written in ASCII digits (at most 18 of them), or None."""
    value = str(value)
    return int(value) if ASCII_NUMBER.fullmatch(value) else None


def parse_uuid(value):
    """The UUID written in `value`, or None."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
