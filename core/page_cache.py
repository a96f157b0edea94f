"""Whole pages kept in the shared cache: for visitors who are not signed in, and a few
copies of some pages for signed-in people.

Guidance, course descriptions and certificate checks are read far more often than they
change, mostly by people who are not signed in. Their rendered HTML is kept in the cache
(Redis in production, shared by every app server) and thrown away when content is
published, unpublished, moved or deleted, or when a certificate is revoked.

Only what is the same for every anonymous visitor is kept: requests with a query
string, a session or pending messages are rendered as usual, and so are responses that
are not a plain 200 or that say they must not be cached. An anonymous page carries
nothing of its visitor (the language switcher is a link for them), so its copy is served
byte for byte as it was rendered; a page whose rendering put the visitor's CSRF token in
it (a form) belongs to that visitor and is not kept. The same holds for a proxy or CDN in
front of the site (docs/operations.md).

Signed-in people see their own progress and their own menu, so a page is kept for them
only when it says how it differs between them. A lesson page, for instance, is the same
for everyone who has completed it, for everyone enrolled who has not, and for everyone
else, give or take the menu, which depends on the reader's roles. While rendering, such
a page calls `remember_variant` with a few facts (the lesson and course) and the
variant it rendered; later requests find the facts by address, work out the reader's
variant from them with one query, and take that copy. Everything else about the reader
is worked out afresh on every request. Their pages have forms (signing out, switching
language), so the copy holds a placeholder that is filled with the reader's own CSRF
token.

Anonymous copies are served by KeptPagesMiddleware, near the top of MIDDLEWARE: a kept
page needs no session, user, language, CSRF or messages, so a visitor's request is
answered from the copy before any of that runs. The copy is the whole response as the
rest of the stack finished it (its CSP, framing and Vary headers included), so a copy
served early carries the same headers as the page rendered afresh; the middleware above
it (request id, HTTPS and security headers) runs on every request either way.
"""

import hashlib
import re
from functools import cache as cache_function
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, get_resolver, get_urlconf
from django.utils import translation
from django.utils.cache import get_max_age
from django.utils.module_loading import import_string

from core import cache_versions
from core.page_routing import any_view_restrictions, restrictions_read_once
from core.rate_limits import COUNTED_ATTRIBUTE, count_and_get_many

# The page cache's generation is a named version (core.cache_versions); its key is
# read with each copy, in the same round trip.
GENERATION = "pages"
GENERATION_KEY = cache_versions.version_key(GENERATION)
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00csrf-token\x00"
# Set on the request by a page that may be kept per variant for signed-in people.
VARIANT_ATTRIBUTE = "page_cache_variant"
# Part of every key: change it when what is kept (a copy, a page's facts) changes shape,
# so servers running the new code never read what the old code kept, nor the reverse.
KEY_FORMAT = 4
# Headers set by the view that a signed-in reader's copy repeats; middleware adds the rest
# per request.
KEPT_HEADERS = ("Content-Type", "Cache-Control", "Content-Language")
# Set on the request by KeptPagesMiddleware when it found no copy: the key and generation
# a copy of this response would be kept under.
LOOKED_UP_ATTRIBUTE = "anonymous_copy_lookup"
# Set on the request by a view marked cached_for_anonymous that answered it.
KEEPABLE_ATTRIBUTE = "anonymous_copy_keepable"
# Response headers a copy never keeps: they are made afresh for each request.
PER_REQUEST_HEADERS = {"x-request-id"}


def cached_for_anonymous(key_for):
    """Keep the view's pages for anonymous visitors; `key_for(request, *args, **kwargs)`
    names a copy. KeptPagesMiddleware keeps and serves the copies (see the module)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if getattr(request, LOOKED_UP_ATTRIBUTE, None) is not None:
                setattr(request, KEEPABLE_ATTRIBUTE, True)
            return response

        wrapped.anonymous_copy_key = key_for
        return wrapped

    return decorator


def cached_pages(view):
    """Wagtail's page view: served from the cache to anonymous visitors, and to signed-in
    people for pages that say how they differ between them (see the module)."""
    for_anonymous = cached_for_anonymous(page_key)(view)

    @wraps(for_anonymous)
    def wrapped(request, *args, **kwargs):
        with restrictions_read_once():
            return served(request, *args, **kwargs)

    def served(request, *args, **kwargs):
        if not is_cacheable_signed_in_request(request):
            return for_anonymous(request, *args, **kwargs)
        facts_key = f"page-facts:{KEY_FORMAT}:{digest(request.get_host(), request.path)}"
        found = cache.get_many([GENERATION_KEY, facts_key])
        generation = found.get(GENERATION_KEY) or start_generation()
        facts = found.get(facts_key)
        if facts is not None and facts[0] == generation:
            _generation, model_label, page_facts = facts
            variant = VARIANT_RULES[model_label](request.user, page_facts)
            kept = cache.get(variant_key(request, variant))
            if kept is not None and kept[0] == generation:
                return from_cache(with_own_csrf_token(request, kept))
        response = rendered(view(request, *args, **kwargs))
        remembered = getattr(request, VARIANT_ATTRIBUTE, None)
        if remembered is not None and is_cacheable_response(response):
            model_label, page_facts, variant = remembered
            cache.set_many(
                {
                    facts_key: (generation, model_label, page_facts),
                    variant_key(request, variant): with_csrf_placeholder(
                        for_cache(generation, response)
                    ),
                },
                settings.PAGE_CACHE_SECONDS,
            )
        return response

    return wrapped


# Page model label -> rule(user, facts) giving any reader's variant of such a page. The app
# that works out the variants registers its rule when it starts (its AppConfig.ready).
VARIANT_RULES = {}


def provide_variant_rule(model_label, rule):
    VARIANT_RULES[model_label] = rule


def remember_variant(request, page, facts, variant):
    """Called while rendering a page for a signed-in person: the page may be kept for
    everyone with the same `variant`, which the rule registered for its model works out
    for any reader from `facts`."""
    label = page._meta.label_lower
    if label not in VARIANT_RULES:
        raise LookupError(f"No page cache variant rule is registered for {label}")
    setattr(request, VARIANT_ATTRIBUTE, (label, facts, variant))


def is_cacheable_signed_in_request(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and request.user.is_authenticated
        and not request.COOKIES.get("messages")
        # Messages that did not fit in their cookie wait in the session.
        and "_messages" not in request.session
        # A private page depends on the reader's groups; while any page is private,
        # signed-in people get every page rendered for them.
        and not any_view_restrictions()
    )


@cache_function
def menu_for():
    """The function naming which menu a signed-in reader sees (settings.PAGE_CACHE_MENU):
    the menu depends on roles, which belong to the accounts app above this one."""
    return import_string(settings.PAGE_CACHE_MENU)


def variant_key(request, variant):
    """The copy for one variant of a page, for readers whose menu is the same."""
    menu = menu_for()(request.user)
    return f"page-variant:{KEY_FORMAT}:{digest(request.get_host(), request.path, menu, variant)}"


def start_generation():
    return cache_versions.current(GENERATION)[0]


def rendered(response):
    """The response with its content, so that it can be kept (a TemplateResponse renders
    late otherwise)."""
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response


def is_cacheable_request(request):
    """Whether an anonymous copy may answer the request. Without a session cookie the
    visitor is not signed in, which is read without touching sessions or users."""
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        # A session may hold messages or a sign-in in progress; a visitor with one gets
        # their own page.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.COOKIES.get("messages")
    )


def is_cacheable_response(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
        and get_max_age(response) != 0
    )


def carries_csrf_token(request):
    """Whether the response rendered for this request holds the visitor's CSRF token
    (Django notes that the token was asked for, to send its cookie)."""
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def for_cache(generation, response):
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return generation, response.content, headers


def from_cache(kept):
    _generation, body, headers = kept
    response = HttpResponse(body)
    for name, value in headers.items():
        response[name] = value
    return response


def with_csrf_placeholder(kept):
    generation, body, headers = kept
    return generation, CSRF_FIELD.sub(rb"\g<1>" + CSRF_PLACEHOLDER + rb"\g<2>", body), headers


def with_own_csrf_token(request, kept):
    generation, body, headers = kept
    return generation, body.replace(CSRF_PLACEHOLDER, get_token(request).encode()), headers


# Anonymous copies, served early ----------------------------------------------------


class KeptPagesMiddleware:
    """Answers an anonymous visitor from a kept copy before the middleware below it runs,
    and keeps the whole response of a page marked cached_for_anonymous (see the module).
    It goes after SecurityMiddleware (which may redirect to HTTPS first) and before the
    CSP middleware, whose header the copy keeps."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = look_up_copy(request) if is_cacheable_request(request) else None
        if found is None:
            return self.get_response(request)
        key, generation, kept = found
        if kept is not None:
            return from_whole_copy(kept)
        setattr(request, LOOKED_UP_ATTRIBUTE, (key, generation))
        response = self.get_response(request)
        if is_keepable(request, response):
            cache.set(key, whole_copy(generation, response), settings.PAGE_CACHE_SECONDS)
        return response


def look_up_copy(request):
    """(key, generation, copy or None) for a request a view marked cached_for_anonymous
    would answer, in one cache round trip; None for any other request, and for one over
    its rate limit (the view answers it, with the limit's page)."""
    view = anonymous_view(request)
    if view is None:
        return None
    match, key_for = view
    with translation.override(match.language):
        key = key_for(request, *match.args, **match.kwargs)
    # The copy and the generation it must belong to, and any count of the view's rate limit.
    keys = [GENERATION_KEY, key]
    limit = getattr(match.func, "rate_limit", None)
    if limit is not None and request.method in limit.methods:
        # The visitor is not signed in, so a limit per user counts them by address too.
        limited, found = count_and_get_many(request, limit.scope, keys)
        if limited:
            return None
        setattr(request, COUNTED_ATTRIBUTE, {limit.scope})
    else:
        found = cache.get_many(keys)
    generation = found.get(GENERATION_KEY) or start_generation()
    kept = found.get(key)
    return key, generation, kept if kept is not None and kept[0] == generation else None


def anonymous_view(request):
    """The address's view and copy key function when the view is marked
    cached_for_anonymous; found as Django's URL resolver finds it, in the language the
    address names."""
    language = translation.get_language_from_path(request.path_info)
    if language is None:
        return None
    try:
        request.get_host()
    except DisallowedHost:
        return None  # answered further down, as any request from such a host is
    match = resolved(get_urlconf() or settings.ROOT_URLCONF, language, request.path_info)
    key_for = getattr(match.func, "anonymous_copy_key", None) if match else None
    return (match, key_for) if key_for is not None else None


@lru_cache(maxsize=1024)
def resolved(urlconf, language, path):
    """URL resolution of the addresses anonymous visitors read most, kept per process:
    walking every pattern to Wagtail's catch-all costs as much as serving the copy."""
    with translation.override(language):
        try:
            match = get_resolver(urlconf).resolve(path)
        except Resolver404:
            return None
    match.language = language
    return match


def is_keepable(request, response):
    return (
        getattr(request, KEEPABLE_ATTRIBUTE, False)
        and is_cacheable_response(response)
        and not carries_csrf_token(request)
        # A nonce is for one response only; a page that used one is never repeated.
        and getattr(request, "_csp_nonce", None) is None
    )


def whole_copy(generation, response):
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in PER_REQUEST_HEADERS
    ]
    return generation, response.content, headers


def from_whole_copy(kept):
    _generation, body, headers = kept
    return HttpResponse(body, headers=dict(headers))


# Keys ------------------------------------------------------------------------------


def page_key(request, *args, **kwargs):
    """Wagtail pages: one copy per address (each copy says which generation it is of)."""
    return f"page:{KEY_FORMAT}:{digest(request.get_host(), request.path)}"


def digest(*parts):
    """A fixed-length key from parts a visitor controls: an address can be longer than the
    250 characters a cache key may have (the database cache's column holds 255)."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# Invalidation ----------------------------------------------------------------------


def forget_all_pages():
    """Content changed: every page may show it (menus, listings, links), so every copy
    kept so far, of the generation before, stops being served (now, and again after
    commit: a request may have cached the old content in between)."""
    cache_versions.changed(GENERATION)


def content_changed(**kwargs):
    # Publishing saves the page, and so do pages created in code (the demo loader); a
    # saved draft also lands here, which only costs one re-render of each page.
    forget_all_pages()
