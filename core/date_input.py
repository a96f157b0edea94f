"""A date asked for as three boxes, day, month and year, as GOV.UK services ask for one
(a browser's date picker is hard to use with a keyboard, a screen reader or a magnifier)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.strict_parsing import ascii_int

PARTS = ("day", "month", "year")
PART_LABELS = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
PART_WIDTHS = {"day": 2, "month": 2, "year": 4}


def date_from_parts(day, month, year):
    """The date the three boxes give, or ValueError when they give none (a year before
    1000 is a mistyped one)."""
    day, month, year = (ascii_int(str(part).strip()) for part in (day, month, year))
    if None in (day, month, year) or year < 1000:
        raise ValueError("not a date")
    return datetime.date(year, month, day)


class DayMonthYearWidget(forms.MultiWidget):
    """Three labelled number boxes; its form field is rendered in a fieldset whose
    legend names the date (includes/form_field.html)."""

    template_name = "core/widgets/day_month_year.html"

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "off",
                    "maxlength": PART_WIDTHS[part],
                    "size": PART_WIDTHS[part],
                    "class": f"date-input__{part}",
                }
            )
            for part in PARTS
        }
        super().__init__(widgets, attrs)

    def value_from_datadict(self, data, files, name):
        if name in data and not any(f"{name}_{part}" in data for part in PARTS):
            # A date sent as one value, 2027-03-27 (by a script, or a page from before
            # the boxes), is read as the three boxes would give it.
            whole = data.get(name) or ""
            try:
                date = datetime.date.fromisoformat(whole)
            except ValueError:
                return [whole[:20], "", ""]
            return [str(date.day), str(date.month), str(date.year)]
        return super().value_from_datadict(data, files, name)

    def decompress(self, value):
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, part in zip(context["widget"]["subwidgets"], PARTS, strict=True):
            subwidget["label"] = PART_LABELS[part]
        return context


class DayMonthYearField(forms.MultiValueField):
    """A date from the three boxes; the messages name what is wrong as GOV.UK asks."""

    widget = DayMonthYearWidget
    default_error_messages = {
        "required": _("Enter the date as a day, month and year."),
        "incomplete": _("Enter the date as a day, month and year."),
        "invalid": _("The date must be a real date, for example 27 3 2027."),
    }

    def __init__(self, **kwargs):
        fields = tuple(forms.CharField(max_length=4) for _part in PARTS)
        super().__init__(fields, require_all_fields=False, **kwargs)
        for field in self.fields:
            field.error_messages["incomplete"] = self.error_messages["incomplete"]
            field.error_messages["max_length"] = self.error_messages["invalid"]

    def compress(self, data_list):
        if not data_list:
            return None
        try:
            return date_from_parts(*data_list)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
