"""Forms for renaming a cohort and changing an assignment's due date."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.date_input import date_from_parts

from .email_text import COHORT_NAME_LIMIT
from .forms import CohortForm
from .models import Cohort

# As far ahead as a course can be assigned (cohorts.forms.AssignForm).
LATEST_DUE_DAYS = 3 * 365


class RenameCohortForm(forms.ModelForm):
    name = forms.CharField(label=_("Cohort name"), max_length=COHORT_NAME_LIMIT)

    class Meta:
        model = Cohort
        fields = ["name"]

    # The same rules as a new cohort's name: it is quoted in invitation emails.
    clean_name = CohortForm.clean_name

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        taken = (
            Cohort.objects.filter(organisation=self.instance.organisation_id, name__iexact=name)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if name and taken:
            self.add_error("name", _("Your organisation already has a cohort with this name."))
        return cleaned

    def validate_unique(self):
        # clean() has said so in words a trainer understands.
        pass


class DueDateForm(forms.Form):
    """A date as three boxes, day, month and year, as GOV.UK services ask for one."""

    day = forms.CharField(label=_("Day"), max_length=2, required=False)
    month = forms.CharField(label=_("Month"), max_length=2, required=False)
    year = forms.CharField(label=_("Year"), max_length=4, required=False)

    def __init__(self, *args, current=None, **kwargs):
        # The ids the page's boxes have, which the error summary links to.
        kwargs.setdefault("auto_id", "due-date-%s")
        if current is not None:
            kwargs.setdefault(
                "initial", {"day": current.day, "month": current.month, "year": current.year}
            )
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self):
        cleaned = super().clean()
        parts = [cleaned.get(name, "").strip() for name in ("day", "month", "year")]
        if not all(parts):
            raise forms.ValidationError(
                _("Enter the due date as a day, month and year."), code="incomplete"
            )
        try:
            due = date_from_parts(*parts)
        except ValueError:
            raise forms.ValidationError(
                _("The due date must be a real date, for example 27 3 2027."), code="invalid"
            ) from None
        today = timezone.localdate()
        if due < today:
            raise forms.ValidationError(
                _("The due date must be today or in the future."), code="past"
            )
        if due > today + datetime.timedelta(days=LATEST_DUE_DAYS):
            raise forms.ValidationError(_("Choose a due date within three years."), code="too_late")
        cleaned["due_date"] = due
        return cleaned
