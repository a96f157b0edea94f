"""What follows a sign-in at an organisation's identity provider (a second factor, when
the organisation trusts the provider's), connecting and disconnecting one, and a change to
a SAML identity provider's app (saved with the security settings every SAML sign-in
needs, whatever was entered)."""

from allauth.account.signals import user_logged_in
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.signals import social_account_added, social_account_removed
from django.db.models.signals import pre_save
from django.dispatch import receiver

from accounts.mfa import record_provider_second_factor
from audit.models import Action
from audit.records import record

from .adapter import sign_in_of
from .claims import authentication_claims, used_multi_factor
from .saml import PROVIDER, secure_app_settings


@receiver(user_logged_in, dispatch_uid="sso.provider_second_factor")
def provider_second_factor(sender, request, user, sociallogin=None, **kwargs):
    """A sign-in at a provider whose multi-factor authentication the organisation trusts,
    and that asserted it in this sign-in's id_token, is the session's second factor."""
    if sociallogin is None:
        return
    app = sociallogin.provider.app
    sign_in = sign_in_of(app)
    if sign_in is None or not sign_in.trust_provider_mfa:
        return
    claims = authentication_claims(sociallogin.account.extra_data)
    if used_multi_factor(claims, sign_in.acr_values()):
        record_provider_second_factor(request, user, provider=app.provider_id or app.provider)


@receiver(social_account_added, dispatch_uid="sso.connected")
def connected(sender, request, sociallogin, **kwargs):
    app = sociallogin.provider.app
    record(
        Action.SSO_CONNECTED,
        f"Connected single sign-on: {app.name}",
        actor=sociallogin.user,
        request=request,
        data={"provider": app.name},
    )


@receiver(social_account_removed, dispatch_uid="sso.disconnected")
def disconnected(sender, request, socialaccount, **kwargs):
    record(
        Action.SSO_DISCONNECTED,
        f"Disconnected single sign-on: {socialaccount.provider}",
        actor=socialaccount.user,
        request=request,
        data={"provider": socialaccount.provider},
    )


@receiver(pre_save, sender=SocialApp, dispatch_uid="sso.secure_saml_app")
def secure_saml_app(sender, instance, **kwargs):
    if instance.provider == PROVIDER:
        instance.settings = secure_app_settings(instance.settings)
