"""Query budgets, counted as production runs: cache and sessions in Redis.

Every page type has a budget of at most 15 database queries, checked at a small and a
large data size. Tests use the database cache so that each test's writes roll back; the
budget tests switch to Redis, as production does, so that a cache read is not counted as
a database query and a cached page shows what caching saves.
"""

import os
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.page_cache import forget_all_pages

MOST_QUERIES_PER_PAGE = 15


@pytest.fixture
def production_cache(settings):
    prefix = f"recognise-tests-{os.getpid()}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"{settings.TEST_REDIS_URL}/9",
            "KEY_PREFIX": prefix,
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    forget_own_keys(cache)
    yield cache
    forget_own_keys(cache)


def forget_own_keys(cache):
    """Empty this process's keys only: cache.clear() would empty the whole Redis database,
    under the feet of the other test processes counting in it at the same time."""
    cache.delete_pattern("*")  # django-redis: only keys under this cache's KEY_PREFIX


class counting_queries(CaptureQueriesContext):
    """The database queries run inside the block.

    Savepoints are left out: they come from the transaction each test runs in, and
    in production the same atomic blocks begin and commit without a logged query.
    """

    def __init__(self):
        super().__init__(connection)

    def __len__(self):
        return len(self.counted)

    @property
    def counted(self):
        return [query for query in self.captured_queries if not SAVEPOINT.match(query["sql"])]


SAVEPOINT = re.compile(r"^(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT) ")


def queries_for(client, url, method="get", data=None, status=200, rendered=True, forget=None):
    """Database queries for one request, after a first request has warmed the caches.

    The pages kept in the page cache are forgotten first, so the count is that of
    rendering the page; `rendered=False` counts a visit the page cache answers.
    `forget` is called before counting, to forget other things the page keeps.
    """
    send = getattr(client, method)
    assert send(url, data).status_code == status
    if rendered:
        forget_all_pages()
    if forget is not None:
        forget()
    with counting_queries() as queries:
        response = send(url, data)
    assert response.status_code == status
    assert len(queries) <= MOST_QUERIES_PER_PAGE, f"{url}: {len(queries)} queries"
    return len(queries)
