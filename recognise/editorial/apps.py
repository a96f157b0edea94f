from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """How content is contributed, reviewed and kept current: workflow, permissions,
    sanitising, image checks and review-date governance."""

    name = "recognise.editorial"
    label = "editorial"
    verbose_name = _("Editorial governance")

    def ready(self):
        from . import receivers  # noqa: F401
