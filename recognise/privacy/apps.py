from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """A person's rights over their data: a copy of it, and erasure. It reaches into every
    app that holds personal data, so it sits above all of them."""

    name = "recognise.privacy"
    label = "privacy"
    verbose_name = "Your data"
