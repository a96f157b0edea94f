"""Counters in the Redis cache that cost one round trip.

The cache itself is django-redis (settings: CACHES), which keeps one client per
connection pool. A rate-limited request adds to a counter that must expire with the
window its first request started; Django's cache API takes add() then incr() for that,
three round trips (add, exists, incrby), so the counter runs as one small script on
django-redis's own connection.
"""

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django_redis import get_redis_connection

# Add to a counter; a counter this started expires after the given seconds.
COUNT_SCRIPT = """
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return count
"""


def bump_counter(key, timeout, amount=1):
    """Add `amount` to the counter at key (started at 0, living `timeout` seconds) and
    return the new count, or None when the cache is not Redis. Counts are stored as
    Redis integers, as incr() leaves them, so get() reads them too."""
    try:
        client = get_redis_connection(DEFAULT_CACHE_ALIAS)
    except NotImplementedError:
        return None
    key = caches[DEFAULT_CACHE_ALIAS].make_key(key)
    return client.eval(COUNT_SCRIPT, 1, key, int(timeout), int(amount))


def bump_counter_and_get_many(counter_key, timeout, keys, amount=1):
    """bump_counter() and the cache's get_many(keys) in one round trip: (count, {key:
    value}), or None when the cache is not Redis."""
    try:
        client = get_redis_connection(DEFAULT_CACHE_ALIAS)
    except NotImplementedError:
        return None
    cache = caches[DEFAULT_CACHE_ALIAS]
    pipeline = client.pipeline(transaction=False)
    pipeline.eval(COUNT_SCRIPT, 1, cache.make_key(counter_key), int(timeout), int(amount))
    pipeline.mget([cache.make_key(key) for key in keys])
    count, values = pipeline.execute()
    found = zip(keys, values, strict=True)
    return count, {key: cache.client.decode(value) for key, value in found if value is not None}
