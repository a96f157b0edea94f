"""Settings for the server that the browser tests drive.

Development settings (SQLite or DATABASE_URL, mail as files), with tasks run in the
request and DEBUG off, so pages, error pages and static files behave as they do in production.
VAR_DIR points the database, mail and media at the test session's own folder.
"""

from .dev import *  # noqa: F403

DEBUG = False
# No worker beside the browser tests' server: background tasks run in the request.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Serve static files straight from the source folders: no collectstatic step per run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Fast hashing, as in the test settings: every session's server hashes the demo's
# thirty-nine passwords and each test's sign-ins, at half a second each with PBKDF2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
