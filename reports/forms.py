from django import forms
from django.utils.translation import gettext_lazy as _

from learning.rules import Status


class ComplianceFilterForm(forms.Form):
    """The compliance table's filters, read from the query string."""

    cohort = forms.TypedChoiceField(label=_("Cohort"), coerce=int, required=False, empty_value=None)
    course = forms.TypedChoiceField(label=_("Course"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Status.choices], required=False
    )
    search = forms.CharField(label=_("Name, email or staff number"), max_length=100, required=False)

    def __init__(self, data, cohorts, courses):
        """cohorts, courses: (id, name) of the organisation's own cohorts and assigned
        courses, the only ones that can be chosen (reports.compliance.filter_choices)."""
        super().__init__(data)
        self.fields["cohort"].choices = [("", _("All")), *cohorts]
        self.fields["course"].choices = [("", _("All")), *courses]

    def criteria(self):
        """The chosen filters; a field the form refuses filters nothing."""
        data = self.cleaned_data if self.is_valid() or hasattr(self, "cleaned_data") else {}
        return {
            "cohort": data.get("cohort"),
            "course": data.get("course"),
            "status": data.get("status") or "",
            "search": (data.get("search") or "").strip(),
        }
