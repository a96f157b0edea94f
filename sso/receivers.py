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
from .middleware import MUST_CONNECT
from .saml import PROVIDER as SAML
from .saml import SESSION_KEY as SAML_SESSION_KEY
from .saml import secure_app_settings


@receiver(user_logged_in, dispatch_uid="sso.provider_second_factor")
def provider_second_factor(sender, request, user, sociallogin=None, **kwargs):
    """A sign-in at a provider whose multi-factor authentication the organisation trusts,
    and that asserted it for this sign-in, is the session's second factor: in the
    id_token of an OpenID Connect provider, in the assertion of a SAML one."""
    if sociallogin is None:
        return
    app = sociallogin.provider.app
    sign_in = sign_in_of(app)
    if sign_in is None or not sign_in.trust_provider_mfa:
        return
    if app.provider == SAML:
        # Kept by the assertion consumer service just before this sign-in (sso/saml_views.py).
        told_by_saml = request.session.get(SAML_SESSION_KEY) or {}
        contexts = told_by_saml.get("authn_contexts") or []
        multi_factor = bool(told_by_saml.get("mfa")) or bool(
            set(contexts) & set(sign_in.acr_values())
        )
    else:
        claims = authentication_claims(sociallogin.account.extra_data)
        multi_factor = used_multi_factor(claims, sign_in.acr_values())
    if multi_factor:
        record_provider_second_factor(request, user, provider=app.provider_id or app.provider)


@receiver(social_account_added, dispatch_uid="sso.connected")
def connected(sender, request, sociallogin, **kwargs):
    app = sociallogin.provider.app
    # Connected as their organisation requires: the rest of the site opens again.
    request.session.pop(MUST_CONNECT, None)
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
    if instance.provider == SAML:
        instance.settings = secure_app_settings(instance.settings)
