from django import forms
from django.utils.translation import gettext_lazy as _

from core.page_languages import reader_title, with_reader_title
from courses.models import CoursePage
from learning.rules import Status


class ComplianceFilterForm(forms.Form):
    """The compliance table's filters, read from the query string."""

    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=None, required=False, empty_label=_("All")
    )
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=None, required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Status.choices], required=False
    )
    search = forms.CharField(label=_("Name, email or staff number"), max_length=100, required=False)

    def __init__(self, data, cohorts, assignments):
        super().__init__(data)
        # Only the organisation's own cohorts and assigned courses can be chosen.
        self.fields["cohort"].queryset = cohorts
        self.fields["course"].queryset = with_reader_title(
            CoursePage.objects.filter(pk__in=assignments.values("course")).order_by("title")
        )
        self.fields["course"].label_from_instance = reader_title

    def criteria(self):
        """The chosen filters; a field the form refuses filters nothing."""
        data = self.cleaned_data if self.is_valid() or hasattr(self, "cleaned_data") else {}
        return {
            "cohort": data.get("cohort"),
            "course": data.get("course"),
            "status": data.get("status") or "",
            "search": (data.get("search") or "").strip(),
        }
