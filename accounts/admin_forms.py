"""Wagtail admin forms for users: the display name replaces first and last names."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm


class DisplayNameAdminFormMixin(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The platform names people by display name only.
        for name in ("first_name", "last_name"):
            self.fields[name].required = False
            self.fields[name].widget = forms.HiddenInput()


class RecogniseUserCreationForm(DisplayNameAdminFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"display_name"}


class RecogniseUserEditForm(DisplayNameAdminFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"display_name"}
