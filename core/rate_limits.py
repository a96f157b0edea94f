"""Rate limits on actions that are costly or could be abused, counted in the shared cache.

Each limit allows a number of requests per window for one client: the signed-in user, or
the client address (read through core.client_address, which honours the trusted
proxy setting, so a forged X-Forwarded-For header cannot start a fresh count). The cache
is Redis or the database in production, shared by every worker and server.
"""

import functools
import time
from dataclasses import dataclass

from allauth.account import app_settings as account_settings
from allauth.core.internal.ratelimit import parse_rates
from allauth.mfa import app_settings as mfa_settings
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from core.client_address import client_address
from core.redis_cache import bump_counter, bump_counter_and_get_many


def _client_key(request, per):
    if per == "user" and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"address:{client_address(request) or 'unknown'}"


def is_rate_limited(request, scope, *, per="address"):
    """Count this request against the scope's limit; True once the limit is passed.

    A client's window starts with the first request counted and its count ends with it.
    (Windows fixed to the clock let a client make twice the limit across a boundary.)
    """
    return is_over_limit(scope, _client_key(request, per))


def is_over_limit(scope, client):
    """Count one request by `client` (any stable name for who is asking, such as an API
    token's id) against the scope's limit; True once the limit is passed."""
    allowed, window = settings.RATE_LIMITS[scope]
    key = f"rate:{scope}:{client}"
    count = bump_counter(key, window)
    if count is None:
        count = _count_in_any_cache(key, window)
    return count > allowed


def count_and_get_many(request, scope, keys, *, per="address"):
    """is_rate_limited() and the cache's get_many(keys), in one round trip where the cache
    is Redis: (whether the limit is passed, {key: value})."""
    allowed, window = settings.RATE_LIMITS[scope]
    both = bump_counter_and_get_many(f"rate:{scope}:{_client_key(request, per)}", window, keys)
    if both is None:
        return is_rate_limited(request, scope, per=per), cache.get_many(keys)
    count, found = both
    return count > allowed, found


def _count_in_any_cache(key, window, amount=1):
    """Add to the count of the client's current window, in a cache without a counter
    of its own. The database cache's incr() renews an entry's expiry, so the count is kept
    under the time its window started, which is what expires."""
    now = int(time.time())
    cache.add(f"{key}:started", now, timeout=window)
    counter = f"{key}:{cache.get(f'{key}:started', now)}"
    cache.add(counter, 0, timeout=window)
    try:
        return cache.incr(counter, amount)
    except ValueError:  # the entry expired between add and incr
        cache.set(counter, amount, timeout=window)
        return amount


def take_allowance(scope, user, wanted):
    """Count `wanted` uses of the scope's allowance by one user (for actions that do many
    things at once, such as sending a list of invitations) and return how many of them fit
    in what is left of the user's window: the caller does only those.

    Asking for more than is left uses the window up, so later requests in it get nothing;
    two requests at once may each get less, never more, than is left. A use counted and
    then not done (its transaction failed) is not given back.
    """
    if wanted <= 0:
        return 0
    allowed, window = settings.RATE_LIMITS[scope]
    key = f"rate:{scope}:user:{user.pk}"
    count = bump_counter(key, window, wanted)
    if count is None:
        count = _count_in_any_cache(key, window, wanted)
    already_used = count - wanted
    return max(0, min(wanted, allowed - already_used))


def too_many_requests(request, scope):
    """A page saying to wait, with the status and Retry-After header clients understand."""
    _allowed, window = settings.RATE_LIMITS[scope]
    response = render(request, "429.html", {"retry_after_seconds": window}, status=429)
    response["Retry-After"] = str(window)
    return response


def allauth_too_many_requests(request):
    """allauth's answer to a request over one of its limits (sign-in, sign-up, password
    reset, ...): allauth calls the URL configuration's handler429 and passes no wait.
    It does not say which limit was passed, so the wait given is the longest window
    of allauth's limits, after which every one of them has let the client go."""
    seconds = longest_allauth_window()
    response = render(request, "429.html", {"retry_after_seconds": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def longest_allauth_window():
    configured = [*account_settings.RATE_LIMITS.values(), *mfa_settings.RATE_LIMITS.values()]
    windows = [rate.duration for rates in configured for rate in parse_rates(rates)]
    return int(max(windows, default=60))


# Scopes a request was already counted against (by the page cache, before the view).
COUNTED_ATTRIBUTE = "counted_rate_limits"


@dataclass(frozen=True)
class RateLimit:
    scope: str
    per: str
    methods: tuple


def rate_limit(scope, *, per="address", methods=("GET", "POST")):
    """Apply a limit to a view for the given methods. The view says which limit it has
    (`view.rate_limit`), so that a page served from the page cache before the view runs
    is counted against it too."""

    def decorator(view):
        @functools.wraps(view)
        def limited(request, *args, **kwargs):
            if (
                request.method in methods
                and scope not in getattr(request, COUNTED_ATTRIBUTE, ())
                and is_rate_limited(request, scope, per=per)
            ):
                return too_many_requests(request, scope)
            return view(request, *args, **kwargs)

        limited.rate_limit = RateLimit(scope, per, tuple(methods))
        return limited

    return decorator
