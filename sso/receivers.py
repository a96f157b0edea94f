"""What follows a change to an organisation's SAML identity provider: its SocialApp is
saved with the security settings every SAML sign-in needs, whatever was entered."""

from allauth.socialaccount.models import SocialApp
from django.db.models.signals import pre_save
from django.dispatch import receiver

from .saml import PROVIDER, secure_app_settings


@receiver(pre_save, sender=SocialApp)
def secure_saml_app(sender, instance, **kwargs):
    if instance.provider == PROVIDER:
        instance.settings = secure_app_settings(instance.settings)
