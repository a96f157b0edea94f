"""The sign-in form, email first: an address at a domain whose organisation signs its
staff in with its own identity provider goes there; every other address is asked for
its password next, the address kept.

Which way an address goes depends on its domain alone, never on whether it has an
account, so the answer tells nobody who has one (allauth's enumeration protection), and
every step is a POST to allauth's sign-in view, under its rate limits.
"""

from allauth.account.forms import LoginForm
from allauth.account.utils import get_next_redirect_url
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.base import AuthProcess
from django import forms
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from requests import RequestException

from audit.models import Action
from audit.records import record

from .adapter import PROVIDER_DOWN
from .middleware import MUST_CONNECT
from .models import OrganisationSignIn


def sign_in_for_email(email):
    """The organisation sign-in for an address's domain: None when no organisation's
    sign-in has the domain, or when more than one does (a mistake nobody must profit
    from: the address then signs in with its password)."""
    domain = (email or "").rpartition("@")[2].strip().lower()
    if not domain:
        return None
    owners = [
        sign_in
        for sign_in in OrganisationSignIn.objects.select_related("app", "organisation")
        if domain in sign_in.domains()
    ]
    return owners[0] if len(owners) == 1 else None


class EmailFirstLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asks_for_password = False
        self.provider_redirect = None
        self.kept_fields = {
            name: self.fields[name] for name in ("password", "remember") if name in self.fields
        }
        # The first step has the address alone; the password comes once it is asked for,
        # or at once for who chose to sign in with their password (?with=password): people
        # at a single sign-on domain whose account is not yet connected, or when their
        # provider is down.
        chose_password = self.request is not None and self.request.GET.get("with") == "password"
        self.email_step = not chose_password and (not self.is_bound or "password" not in self.data)
        if self.email_step:
            for name in self.kept_fields:
                del self.fields[name]
        self.fields["login"].widget.attrs["autocomplete"] = "email"

    def is_valid(self):
        return super().is_valid() and not self.asks_for_password

    def clean(self):
        if not self.email_step:
            cleaned_data = super().clean()
            if self.user is not None:
                self.refuse_password_if_single_sign_on_required(self.user)
            return cleaned_data
        cleaned_data = forms.Form.clean(self)
        if self._errors:
            return cleaned_data
        email = cleaned_data.get("login", "")
        sign_in = sign_in_for_email(email)
        if sign_in is None:
            self.ask_for_password()
            return cleaned_data
        provider = sign_in.app.get_provider(self.request)
        try:
            self.provider_redirect = provider.redirect(
                self.request, AuthProcess.LOGIN, next_url=get_next_redirect_url(self.request)
            )
        except RequestException as error:
            record(
                Action.SSO_REFUSED,
                "Single sign-on refused: the provider did not answer",
                actor=None,
                actor_label=email,
                request=self.request,
                data={
                    "reason": f"provider did not answer: {error}"[:400],
                    "provider": sign_in.app.name,
                },
            )
            raise forms.ValidationError(PROVIDER_DOWN, code="provider_down") from None
        return cleaned_data

    def ask_for_password(self):
        self.asks_for_password = True
        self.fields.update(self.kept_fields)
        self.fields["password"].widget.attrs["autofocus"] = True

    def refuse_password_if_single_sign_on_required(self, user):
        # Administrators keep their password, so a provider that is down or set up wrong
        # cannot lock everyone out of the admin that would put it right. A member who has
        # not yet connected their account signs in with their password once more, to
        # connect it and do nothing else (sso/middleware.py); after that it is refused.
        if user.is_superuser:
            return
        required = OrganisationSignIn.objects.filter(
            required_for_members=True, organisation__memberships__user=user
        ).values_list("app__provider_id", "app__provider")
        providers = {provider_id or provider for provider_id, provider in required}
        if not providers:
            return
        if not SocialAccount.objects.filter(user=user, provider__in=providers).exists():
            self.must_connect = True
            return
        raise forms.ValidationError(
            _(
                "Your organisation asks you to sign in with its own sign-in service. "
                "Enter just your email address and choose Continue."
            ),
            code="single_sign_on_required",
        )

    def login(self, request, redirect_url=None):
        if self.provider_redirect is not None:
            return self.provider_redirect
        response = super().login(request, redirect_url=redirect_url)
        if getattr(self, "must_connect", False) and request.user.is_authenticated:
            request.session[MUST_CONNECT] = True
            return HttpResponseRedirect(reverse("socialaccount_connections"))
        return response
