from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.forms import TrainersOrganisationMixin, one_line_name

from .models import ApiToken


class ApiTokenForm(TrainersOrganisationMixin, forms.ModelForm):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say which system will use it, for example “HR system” or “Power BI”."),
    )

    class Meta:
        model = ApiToken
        fields = ["organisation", "name"]

    def clean_name(self):
        return one_line_name(self.cleaned_data["name"], _("Give the token a name."))
