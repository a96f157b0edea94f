"""Rate limits on actions that are costly or could be abused, counted in the shared cache.

Each limit allows a number of requests per window for one client: the signed-in user, or
the client address (read through recognise.client_address, which honours the trusted
proxy setting, so a forged X-Forwarded-For header cannot start a fresh count). The cache
is Redis or the database in production, shared by every worker and server.
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from recognise.client_address import client_address


def _client_key(request, per):
    if per == "user" and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"address:{client_address(request) or 'unknown'}"


def is_rate_limited(request, scope, *, per="address"):
    """Count this request against the scope's limit; True once the limit is passed."""
    allowed, window = settings.RATE_LIMITS[scope]
    bucket = int(time.time() // window)
    key = f"rate:{scope}:{_client_key(request, per)}:{bucket}"
    count_in_one_trip = getattr(cache, "bump_counter", None)  # recognise.redis_cache
    if count_in_one_trip is not None:
        return count_in_one_trip(key, window * 2) > allowed
    cache.add(key, 0, timeout=window * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=window * 2)
        count = 1
    return count > allowed


def too_many_requests(request, scope):
    """A page saying to wait, with the status and Retry-After header clients understand."""
    _allowed, window = settings.RATE_LIMITS[scope]
    response = render(request, "429.html", {"retry_after_seconds": window}, status=429)
    response["Retry-After"] = str(window)
    return response


def rate_limit(scope, *, per="address", methods=("GET", "POST")):
    """Apply a limit to a view for the given methods."""

    def decorator(view):
        @functools.wraps(view)
        def limited(request, *args, **kwargs):
            if request.method in methods and is_rate_limited(request, scope, per=per):
                return too_many_requests(request, scope)
            return view(request, *args, **kwargs)

        return limited

    return decorator
