"""Serving pages in a fixed number of queries, however deep they sit.

Wagtail finds a page by walking the tree one slug at a time, two queries a level, and
asks for the page's ancestors again to check view restrictions. A lesson sits three
levels below the home page, so that walk was most of a lesson page's queries.
"""

from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from wagtail.models import Page, PageViewRestriction

RESTRICTIONS_KEY = "page-view-restrictions-exist"


def route_in_one_step(root, request, path_components):
    """Route from `root` by finding the deepest page on the path with one query.

    A page's url_path is its ancestors' slugs joined, so the deepest matching url_path
    is exactly the page Wagtail's walk would reach; that page routes what is left, as
    Wagtail does. (No page in this project routes its own sub-paths on the way down.)
    """
    if not path_components:
        return Page.route(root, request, path_components)
    prefixes = [
        root.url_path + "/".join(path_components[:length]) + "/"
        for length in range(1, len(path_components) + 1)
    ]
    deepest = (
        Page.objects.descendant_of(root).filter(url_path__in=prefixes).order_by("-depth").first()
    )
    if deepest is None:
        raise Http404
    consumed = prefixes.index(deepest.url_path) + 1
    return deepest.specific.route(request, path_components[consumed:])


def any_view_restrictions():
    """Whether any page is private; most sites have none, and then nothing needs checking."""
    return cache.get_or_set(RESTRICTIONS_KEY, PageViewRestriction.objects.exists, timeout=None)


def not_private():
    """A filter for pages outside private sections, as Wagtail's .public() but without
    its query for the restrictions when no page is private."""
    if not any_view_restrictions():
        return Q()
    return ~Page.objects.private_q()


class CheapViewRestrictionsMixin:
    """Pages whose restriction check costs nothing while no page is private."""

    def get_view_restrictions(self):
        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HiddenWithParentMixin:
    """Pages inside another (lessons and assessments in a course): only as visible as the
    page they sit in."""

    def parent_is_live(self):
        # The parent stays cached on the page, so the view reads it only once.
        return self.get_parent().specific.live

    def serve(self, request, *args, **kwargs):
        # Unpublishing a course hides its lessons and assessments, even if they are live.
        if not self.parent_is_live():
            raise Http404
        return super().serve(request, *args, **kwargs)
