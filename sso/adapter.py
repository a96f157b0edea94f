"""allauth's social account adapter: who an organisation's identity provider may sign in.

A provider is trusted only for the addresses it verified, at the domains its
organisation's sign-in was given, and never to take over an account it did not make:
an account that already exists is connected only by its owner, signed in with their
password (and second factor), through allauth's connect flow.
"""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.base.constants import AuthError
from django.contrib.auth.models import Group
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Membership, User
from accounts.roles import LEARNER
from audit.models import Action
from audit.records import NOBODY, record

from . import saml
from .claims import email_verified_by_provider, identity_claims
from .models import OrganisationSignIn

SIGN_IN_FAILED = _lazy(
    "Signing in with your organisation's sign-in service did not work. Try again; if it "
    "keeps failing, ask your IT team."
)
PROVIDER_DOWN = _lazy(
    "Your organisation's sign-in service is not answering. Try again in a few minutes, or "
    "ask your IT team."
)


def sign_in_of(app):
    """The organisation sign-in of an allauth app, or None."""
    if app is None or app.pk is None:
        return None
    return OrganisationSignIn.objects.select_related("organisation").filter(app=app).first()


def refuse(request, message, reason, **options):
    """Stop the sign-in: the person reads why, the audit log says so."""
    raise ImmediateHttpResponse(refusal(request, message, reason, **options))


def refusal(request, message, reason, *, email="", app=None, status=403, connect=False):
    """The page saying why a sign-in stopped, recorded in the audit log. connect: the
    page offers the password sign-in that leads on to connecting the provider."""
    data = {"reason": reason}
    if app is not None:
        data["provider"] = app.name
    actor = request.user if request.user.is_authenticated else None
    record(
        Action.SSO_REFUSED,
        f"Single sign-on refused: {reason}",
        actor=actor,
        actor_label=None if actor else (email or NOBODY),
        request=request,
        data=data,
    )
    context = {"message": message}
    if connect:
        query = urlencode({"with": "password", "next": reverse("socialaccount_connections")})
        context["connect_url"] = f"{reverse('account_login')}?{query}"
    return render(request, "sso/refused.html", context, status=status)


def asserted_email(sociallogin):
    if sociallogin.email_addresses:
        return sociallogin.email_addresses[0].email or ""
    return (sociallogin.user.email if sociallogin.user else "") or ""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin):
        app = sociallogin.provider.app
        sign_in = sign_in_of(app)
        email = asserted_email(sociallogin).strip()
        if sign_in is None:
            refuse(
                request,
                _("This sign-in service is not set up for any organisation."),
                "provider not linked to an organisation",
                email=email,
                app=app,
            )
        claims = identity_claims(sociallogin.account.extra_data)
        domain = email.rpartition("@")[2].lower()
        # A SAML provider is the organisation's own directory, signing every assertion it
        # sends: the address it gives is one of its own people's, and it is taken only at
        # the domains its sign-in was given (below). OpenID Connect providers say whether
        # they verified the address, and many sign in people from anywhere.
        verified = app.provider == saml.PROVIDER or email_verified_by_provider(claims)
        if not email or not verified:
            refuse(
                request,
                _(
                    "Your organisation's sign-in service did not confirm your email "
                    "address, so Recognise cannot sign you in with it. Ask your IT team to "
                    "send a verified email address."
                ),
                "email address not verified by the provider",
                email=email,
                app=app,
            )
        if domain not in sign_in.domains():
            refuse(
                request,
                _(
                    "Your email address is not at a domain %(organisation)s signs in with "
                    "this service."
                )
                % {"organisation": sign_in.organisation},
                "email domain not allowed for this sign-in",
                email=email,
                app=app,
            )
        if claimed_domains_owner_count(domain) > 1:
            refuse(
                request,
                _(
                    "Your email domain is set up for more than one organisation's sign-in. "
                    "Ask the Recognise administrators to correct this."
                ),
                "email domain claimed by more than one organisation",
                email=email,
                app=app,
            )
        process = sociallogin.state.get("process")
        if process == AuthProcess.CONNECT:
            if not request.user.is_authenticated:
                refuse(
                    request,
                    _("Sign in to your account first, then connect your organisation's sign-in."),
                    "connect without a signed-in account",
                    email=email,
                    app=app,
                )
            if request.user.email.lower() != email.lower():
                refuse(
                    request,
                    _(
                        "Your organisation's sign-in service says you are %(email)s, not "
                        "the address of this account, so it was not connected."
                    )
                    % {"email": email},
                    "provider's address differs from the account's",
                    email=email,
                    app=app,
                )
        elif not sociallogin.is_existing and User.objects.filter(email__iexact=email).exists():
            # Never linked silently: a provider asserting an address is not its owner
            # proving they hold the account. The owner connects it themselves.
            refuse(
                request,
                _(
                    "An account with this email address already exists. Sign in with "
                    "your password (and two-factor code if you have one) to connect your "
                    "organisation's sign-in to it. After that you can sign in with it."
                ),
                "an account with this address exists and is not connected",
                email=email,
                app=app,
                connect=True,
            )
        # The provider verified it (its email_verified or Entra's xms_edov), which allauth's
        # OpenID Connect provider reads from email_verified only.
        for address in sociallogin.email_addresses:
            if address.email.lower() == email.lower():
                address.verified = True
        sociallogin.state["sso_organisation"] = sign_in.organisation_id

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        """Expired or wrongly signed tokens, a wrong audience or issuer, a state used
        twice or never issued, a provider that does not answer: one clear page, and an
        audit entry naming what went wrong."""
        detail = str(exception or error or "unknown")
        if error == AuthError.CANCELLED:
            # allauth's own page says the sign-in was cancelled; nothing went wrong.
            return
        if exception is not None and exception.__cause__ is not None:
            detail = f"{detail} ({exception.__cause__})"
        refuse(
            request,
            SIGN_IN_FAILED,
            f"authentication error: {detail}"[:400],
            app=getattr(provider, "app", None),
            status=400,
        )

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = (data.get("name") or "").strip()
        if not name:
            name = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
        user.display_name = name or user.email
        return user

    @transaction.atomic
    def save_user(self, request, sociallogin, form=None):
        """A first sign-in makes the account just in time: a learner, a member of the
        sign-in's organisation."""
        user = super().save_user(request, sociallogin, form)
        user.groups.add(Group.objects.get(name=LEARNER))
        organisation_id = sociallogin.state.get("sso_organisation")
        if organisation_id:
            Membership.objects.get_or_create(user=user, organisation_id=organisation_id)
        return user

    def list_apps(self, request, provider=None, client_id=None):
        # Only providers linked to an organisation are used anywhere. The list of them
        # all (asked with no provider named, for the connections page) shows someone
        # signed in only their own organisations': nobody learns from it which other
        # organisations sign in where.
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        sign_ins = OrganisationSignIn.objects.filter(app__in=[a for a in apps if a.pk])
        user = getattr(request, "user", None)
        listing = provider is None and client_id is None
        if listing and user is not None and user.is_authenticated:
            sign_ins = sign_ins.filter(organisation__memberships__user=user)
        linked = set(sign_ins.values_list("app_id", flat=True))
        return [app for app in apps if app.pk in linked]


def claimed_domains_owner_count(domain):
    return len(
        {
            sign_in.organisation_id
            for sign_in in OrganisationSignIn.objects.all()
            if domain in sign_in.domains()
        }
    )
