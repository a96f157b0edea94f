"""A small Django project that is a real OpenID Connect provider for the single sign-on
tests (django-oidc-provider), with its own SQLite file. Started by tests/sso/conftest.py
as `python -m tests.sso.provider.server <port> <folder>`."""

import os
from pathlib import Path

FOLDER = Path(os.environ["TEST_PROVIDER_FOLDER"])
PORT = os.environ["TEST_PROVIDER_PORT"]

SECRET_KEY = "test-provider-not-a-secret"  # noqa: S105 (a local test server)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.sso.provider.urls"
SITE_URL = f"http://127.0.0.1:{PORT}"
LOGIN_URL = "/accounts/login/"
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(FOLDER / "provider.sqlite3")}
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Each test says which claims its person's provider sends (tests/sso/provider/claims.py).
OIDC_IDTOKEN_PROCESSING_HOOK = "tests.sso.provider.claims.id_token_claims"
OIDC_USERINFO = "tests.sso.provider.claims.userinfo"
