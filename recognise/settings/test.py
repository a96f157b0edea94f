"""Test settings: fast hashing, plain static storage, tasks run at once.

DATABASE_URL selects the database (SQLite by default, PostgreSQL in CI).
"""

import os

from .base import *  # noqa: F403

SECRET_KEY = "not-a-secret-tests-only"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "certificates": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The database cache (see base.py) stays: each test's writes to it roll back with the test.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "recognise_cache",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The Redis of the tests that count as production does (tests/query_budgets.py, the
# two-server browser test), each in a database number of its own. `make test` starts a
# private one and sets this when nothing answers at the default address.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
DEMO_DATA_ALLOWED = True
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# A fresh signing key for each test run; tests verify with the published public key.
from .signing_key import new_signing_key  # noqa: E402

OPENBADGES_PRIVATE_KEY = new_signing_key()
HELP_CONTACT_EMAIL = "help@recognise.test"
