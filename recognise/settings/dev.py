"""Development settings: local SQLite, mail written to var/mail, demo data allowed."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR
from .environment import email_settings_from_url, env_list

# The local database, media and mail live here (ignored by git).
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "not-a-secret-development-only"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# Messages are written as files that a person can open (one file per message).
vars().update(email_settings_from_url(os.environ.get("EMAIL_URL", f"file://{VAR_DIR / 'mail'}")))

# Background tasks are queued in the database, as in production: `make run` starts the
# worker (`manage.py db_worker`) beside the server, so a trainer's long job runs there.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

STORAGES = {
    **STORAGES,  # noqa: F405 (the certificates' private storage)
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Browsers allow WebAuthn on http://localhost.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
DEMO_DATA_ALLOWED = True

# Wagtail logs every page created or published; the demo loader would print hundreds.
LOGGING["loggers"]["wagtail"] = {"level": "WARNING"}  # noqa: F405

# A signing key for Open Badges made once per machine, kept in var/ (never committed).
if not OPENBADGES_PRIVATE_KEY:  # noqa: F405
    from .signing_key import development_signing_key

    OPENBADGES_PRIVATE_KEY = development_signing_key(VAR_DIR / "openbadges-ed25519.pem")
