"""Serving pages in a fixed number of queries, however deep they sit.

Wagtail finds a page by walking the tree one slug at a time, two queries a level, and
asks for the page's ancestors again to check view restrictions. A lesson sits three
levels below the home page, so that walk was most of a lesson page's queries.

Before the walk, Wagtail finds the request's site (one query with a page row, ranked
in the database), the active language's locale, and the home page in that language as
its specific page: three more queries, a quarter of a course page's work. `routed`
finds the same site and page with two small queries and the page itself, and hands
them to Wagtail's page view through the two request attributes in which Wagtail keeps
what it found (`_wagtail_site`, `_wagtail_route_for_request`, named in the docstrings of
Site.find_for_request and Page.route_for_request). tests/site/test_page_routing.py
checks that both answers match Wagtail's own and that Wagtail still reads them.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, PageViewRestriction, Site

RESTRICTIONS_KEY = "page-view-restrictions-exist"
# While a page is served, the answer read from the cache the first time it is asked
# (a course page asks three times: the page cache, Wagtail's check and the task list).
_restrictions_while_serving = ContextVar("page_view_restrictions_while_serving", default=None)

# Candidate sites for a host name, with their home page's translation key.
SITES_SQL = """
    SELECT site.id, site.hostname, site.port, site.site_name, site.root_page_id,
           site.is_default_site, root.translation_key
    FROM wagtailcore_site site
    JOIN wagtailcore_page root ON root.id = site.root_page_id
    WHERE site.hostname = %s OR site.is_default_site
"""
SITE_FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")

# The site's home page in the language being read (its translation if that is live, else
# the home page itself, as Wagtail's `localized`), then the deepest page on the path below
# it, found by its slug (indexed) and url_path; {below_home} holds the path's conditions.
PAGE_SQL = """
    WITH home AS (
        SELECT home.id, home.url_path
        FROM wagtailcore_page home
        JOIN wagtailcore_locale locale ON locale.id = home.locale_id
        WHERE home.translation_key = %s
          AND (home.id = %s OR (home.live AND locale.language_code = %s))
        ORDER BY CASE WHEN home.id = %s THEN 1 ELSE 0 END
        LIMIT 1
    )
    SELECT page.id, page.content_type_id, page.url_path, home.url_path
    FROM home
    JOIN wagtailcore_page page ON page.id = home.id{below_home}
    ORDER BY page.depth DESC
    LIMIT 1
"""
BELOW_HOME_SQL = " OR (page.slug IN ({slugs}) AND page.url_path IN ({paths}))"


def page_sql(levels):
    """PAGE_SQL for a path `levels` slugs deep."""
    if not levels:
        return PAGE_SQL.format(below_home="")
    slots = ", ".join(["%s"] * levels)
    paths = ", ".join(["home.url_path || %s"] * levels)
    return PAGE_SQL.format(below_home=BELOW_HOME_SQL.format(slugs=slots, paths=paths))


SITE_RANKS = {"host and port": 0, "host, default site": 1, "default site": 2, "host": 3}


def find_site(request):
    """The site answering this request and its home page's translation key, as
    Site.find_for_request finds the site: the one with the request's host name and
    port, else the default site if it has that host name, else the only other site with
    that host name, else the default site; (None, None) when nothing matches."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    with connection.cursor() as cursor:
        cursor.execute(SITES_SQL, [hostname])
        rows = cursor.fetchall()

    def rank(row):
        _id, row_hostname, row_port, _name, _root, is_default, _key = row
        if row_hostname == hostname and str(row_port) == port:
            return SITE_RANKS["host and port"]
        if row_hostname == hostname and is_default:
            return SITE_RANKS["host, default site"]
        return SITE_RANKS["default site"] if is_default else SITE_RANKS["host"]

    rows.sort(key=rank)
    if len(rows) == 1 or (rows and rank(rows[0]) < SITE_RANKS["default site"]):
        chosen = rows[0]
    elif rows and rank(rows[0]) == SITE_RANKS["default site"]:
        # The default site, unless exactly one other site has the host name.
        chosen = rows[1] if len(rows) == 2 else rows[0]
    else:
        return None, None
    site_id, hostname, port, name, root_page_id, is_default, home_translation_key = chosen
    values = (site_id, hostname, port, name, root_page_id, bool(is_default))
    return Site.from_db(connection.alias, SITE_FIELDS, values), home_translation_key


def reading_language():
    """The content language being read, as Wagtail's Locale.get_active() chooses it."""
    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def route(request, site, home_translation_key, path):
    """The page at `path` on the site, in the language being read, as Wagtail's
    route_for_request finds it (a RouteResult); Http404 when there is none."""
    components = [component for component in path.split("/") if component]
    prefixes = ["/".join(components[:length]) + "/" for length in range(1, len(components) + 1)]
    values = [home_translation_key, site.root_page_id, reading_language(), site.root_page_id]
    with connection.cursor() as cursor:
        cursor.execute(page_sql(len(components)), [*values, *components, *prefixes])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    page_id, content_type_id, page_url_path, home_url_path = row
    # The page routes what is left of the path, as it would at the end of Wagtail's walk.
    consumed = page_url_path[len(home_url_path) :].count("/")
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = model._default_manager.get(pk=page_id)
    return page.route(request, components[consumed:])


def routed(view):
    """Wagtail's page view, given the site and page found by find_site() and route()."""

    @wraps(view)
    def wrapped(request, path, *args, **kwargs):
        if not hasattr(request, "_wagtail_route_for_request"):
            site, home_translation_key = find_site(request)
            request._wagtail_site = site
            try:
                request._wagtail_route_for_request = (
                    route(request, site, home_translation_key, path) if site else None
                )
            except Http404:
                request._wagtail_route_for_request = None
        return view(request, path, *args, **kwargs)

    return wrapped


def site_found(view):
    """A view outside Wagtail's page view that builds page addresses, given the site
    find_site() finds: Wagtail's Site.find_for_request would otherwise look for it in an
    ORM query that ranks the sites in the database, when the first address is built."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not hasattr(request, "_wagtail_site"):
            request._wagtail_site = find_site(request)[0]
        return view(request, *args, **kwargs)

    return wrapped


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
    answers = _restrictions_while_serving.get()
    if answers is None:
        return read_whether_restrictions_exist()
    if RESTRICTIONS_KEY not in answers:
        answers[RESTRICTIONS_KEY] = read_whether_restrictions_exist()
    return answers[RESTRICTIONS_KEY]


def read_whether_restrictions_exist():
    return cache.get_or_set(RESTRICTIONS_KEY, PageViewRestriction.objects.exists, timeout=None)


@contextmanager
def restrictions_read_once():
    """Inside the block (serving one page, which never changes who may see what),
    any_view_restrictions() asks the cache once; outside, every time."""
    token = _restrictions_while_serving.set({})
    try:
        yield
    finally:
        _restrictions_while_serving.reset(token)


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
