from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import User
from .roles import LEARNER


class SignupDetailsForm(forms.Form):
    """Extra fields on allauth's signup form: the name for certificates."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("As it should appear on your certificates."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def signup(self, request, user):
        """Called by allauth once the account exists: everyone starts as a learner, and
        gets emails in the language they signed up in until they choose another."""
        user.display_name = self.cleaned_data["display_name"]
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        user.save(update_fields=["display_name", "preferred_language"])
        user.groups.add(Group.objects.get(name=LEARNER))


class DisplayNameForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "reminder_emails"]
        widgets = {"display_name": forms.TextInput(attrs={"autocomplete": "name"})}
        help_texts = {
            "preferred_language": _("Emails from Recognise are sent in this language."),
            "reminder_emails": _(
                "Emails when a course set for you is due soon or overdue, and reminders your "
                "trainer sends. You are always told when a trainer assigns you a course."
            ),
        }
        labels = {"reminder_emails": _("Send me reminder emails")}

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name
