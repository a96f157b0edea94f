from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _


class DeleteAccountForm(forms.Form):
    """Confirms, with the account's password, that its owner means to erase it."""

    # Wrong passwords allowed per account in the window below, so a signed-in session
    # left open cannot be used to guess the password.
    MAX_FAILURES = 5
    FAILURE_WINDOW = 15 * 60

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm that it is you deleting the account."),
        error_messages={"required": _("Enter your password.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    @property
    def failures_key(self):
        return f"accounts:delete-password-failures:{self.user.pk}"

    def clean_password(self):
        password = self.cleaned_data["password"]
        if cache.get(self.failures_key, 0) >= self.MAX_FAILURES:
            raise forms.ValidationError(
                _("Too many wrong passwords. Wait 15 minutes and try again.")
            )
        if not self.user.check_password(password):
            cache.add(self.failures_key, 0, timeout=self.FAILURE_WINDOW)
            try:
                cache.incr(self.failures_key)
            except ValueError:
                cache.set(self.failures_key, 1, timeout=self.FAILURE_WINDOW)
            raise forms.ValidationError(_("That is not your password. Try again."))
        return password
