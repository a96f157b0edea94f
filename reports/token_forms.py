from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.email_text import has_hidden_characters

from .models import ApiToken


class ApiTokenForm(forms.ModelForm):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say which system will use it, for example “HR system” or “Power BI”."),
    )

    class Meta:
        model = ApiToken
        fields = ["organisation", "name"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        if organisations.count() == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations.first()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        if has_hidden_characters(name):
            raise forms.ValidationError(
                _("Write the name on one line, without tabs or invisible characters.")
            )
        return name
