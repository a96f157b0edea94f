"""Context that an app on a higher floor adds to a page or view on a lower one.

A course page shows its reader's progress, but courses are content and sit below the
learner's record (the learning app), so a course page cannot import it. Instead, the
app above registers a provider when it starts (in its AppConfig.ready) under the name of
the page model or view, and the page asks for whatever was registered under its name.
"""

from collections import defaultdict

_providers = defaultdict(list)


def provide_context(name, provider):
    """Add `provider(request, **facts)`'s dict to the context of the page or view `name`
    (a page model's label, such as "courses.coursepage", or a view's name)."""
    if provider not in _providers[name]:
        _providers[name].append(provider)


def provided_context(name, request, **facts):
    context = {}
    for provider in _providers[name]:
        context.update(provider(request, **facts))
    return context


class ProvidedContextMixin:
    """A Wagtail page whose context includes what other apps provide for its model."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(provided_context(self._meta.label_lower, request, page=self))
        return context
