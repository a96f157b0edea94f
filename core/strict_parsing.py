"""Reading numbers and ids from requests strictly.

`str.isdigit()` is true for digits such as "²" that int() refuses, and int() takes
digits of other scripts ("٣", "１") that nobody meant as an id; a UUID field refuses
anything else with an exception. These answer None instead, so a view can refuse with
a clear message or a 404.
"""

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError

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


# The largest id any database's integer key holds (PostgreSQL's bigint); SQLite refuses
# to compare with a larger number rather than finding nothing.
LARGEST_ID = 2**63 - 1


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Choices by integer id, where each id must be ASCII digits within a key's range:
    Django filters the chosen ids with `__in`, which SQLite answers with an overflow
    error for a larger number."""

    def _check_values(self, value):
        for item in value:
            number = ascii_int(item)
            if number is None or number > LARGEST_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)
