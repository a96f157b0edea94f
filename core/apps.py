from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The foundation every other app builds on: page cache and routing, rate limits, CSP,
    logging and request plumbing. It imports nothing of the project's own apps."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from . import receivers  # noqa: F401
