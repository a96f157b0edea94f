"""Production-safe base settings for Recognise.

Nothing here is a secret or a development convenience: DEBUG is off and secrets
come only from the environment. dev.py and test.py relax what they must;
production.py adds HTTPS hardening and refuses to start without a SECRET_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .environment import email_settings_from_url, env_bool, env_int, env_list

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Applications ----------------------------------------------------------------

INSTALLED_APPS = [
    # The project's own apps come first so their templates win; bottom floor first.
    "core",
    "audit",
    "accounts",
    "sso",
    "courses",
    "guidance",
    "quizzes",
    "learning",
    "certificates",
    "xapi",
    "cohorts",
    "lti",
    "reports",
    "recognise.home",
    "recognise.demo",
    "recognise.privacy",
    "recognise.editorial",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    # The public course catalogue as JSON (/api/v2/, recognise/catalogue_api.py).
    "wagtail.api.v2",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.RecogniseUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Organisations' own identity providers (OpenID Connect, Microsoft Entra ID): sso/.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # Organisations' SAML 2.0 identity providers, one SocialApp each (docs/sso-saml.md).
    "allauth.socialaccount.providers.saml",
    # Knows every signed-in session of a user, so signing out can end all of them.
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
    # LTI 1.3 registrations, deployments, keys and launch data (lti/).
    "lti_tool",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",  # Must be before django.contrib.staticfiles
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "storages",
    "csp",
    # The read-only reporting API (reports/api/) and its OpenAPI schema.
    "rest_framework",
    "drf_spectacular",
]

MIDDLEWARE = [
    # First, so every response and log line, error pages included, has the request's id.
    "core.request_ids.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Anonymous visitors' pages from the page cache, before sessions, users and the rest
    # (core/page_cache.py); a kept copy carries the headers the middleware below set.
    "core.page_cache.KeptPagesMiddleware",
    # Content Security Policy on every response (core/csp.py).
    "core.csp.SitePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before any view reads a value: a NUL reaching the database is a server error.
    "core.null_characters.RefuseNullCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Log lines name the signed-in user by id (core/request_ids.py).
    "core.request_ids.LogUserMiddleware",
    # Audit events recorded from signals learn who acted and from which address.
    "audit.middleware.AuditRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.SessionTimeoutMiddleware",
    # After authentication and messages: staff must have MFA before they reach staff areas.
    "accounts.middleware.StaffAreaAccessMiddleware",
    # Members who must connect their organisation's sign-in service do that first.
    "sso.middleware.ConnectRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so it wraps the admin's views and nothing else (see the module).
    "recognise.editorial.middleware.AtomicAdminWritesMiddleware",
]

ROOT_URLCONF = "recognise.urls"
WSGI_APPLICATION = "recognise.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "accounts.context_processors.help_contact",
            ],
        },
    },
]

# Data ------------------------------------------------------------------------

# https://github.com/jazzband/dj-database-url
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'recognise.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Parameters bound on the server, and psycopg preparing a query once it has run it five
# times on a connection (Django turns preparing off unless asked), let PostgreSQL plan
# each repeated query once rather than on every request: planning cost more than running
# most of a page's queries, 1.4 ms against 0.3 ms for a learner's figures after an
# answer. Connections are kept (DATABASE_CONN_MAX_AGE), so the plans are too. A pooler
# in transaction mode without prepared-statement support needs
# DATABASE_PREPARED_STATEMENTS=false.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
# SQLite lets one connection write at a time. With write-ahead logging, readers carry on
# while someone writes; transactions take the write lock when they begin (IMMEDIATE), so
# two requests never both read and then fail to upgrade ("database is locked"); and a
# writer waits up to SQLITE_BUSY_TIMEOUT seconds for its turn. synchronous=NORMAL is
# safe with write-ahead logging (a power cut may lose the last commits, never the file).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=env_int("SQLITE_BUSY_TIMEOUT", 20),
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "recognise",
        }
    }
    # Sessions survive a Redis restart because they are also written to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # A database cache is shared by every process, so rate limits hold across
    # gunicorn workers even without Redis. Its table is created by a migration.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "recognise_cache",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background work: the database queue, drained by `manage.py db_worker` (Procfile: worker).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task still running after this many seconds lost its worker (killed, out of memory);
# the worker queues it again (core/stalled_tasks.py). Longer than any task takes.
TASK_STALLED_AFTER = env_int("TASK_STALLED_AFTER", 30 * 60)

# Accounts ----------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Neither password reset nor sign-up says whether an address has an account: both
# answer as for any address and mail it either way (a reset link or an "unknown account"
# note; for a second sign-up, a note pointing to password reset).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Recognise] "
# Wrong passwords are counted per client address and per (client address, account)
# pair, so nobody can lock someone else out (accounts/adapter.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Rate limits, kept in the shared cache above: allauth's defaults, except these, each
# counted per client address ("ip") and per account or email address ("key"). Wrong
# second-factor codes count under login_failed too, per client address and account.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key,10/h/key",
}
# Behind proxies that add X-Forwarded-For, how many of them are ours (default none:
# the connecting address is the client's), or the header a trusted proxy sets to the
# client's address. Rate limits and the audit log read the client address this way.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None

# The sign-in form asks for the email address first and sends people whose domain has
# single sign-on to their organisation's provider (sso/forms.py).
ACCOUNT_FORMS = {"login": "sso.forms.EmailFirstLoginForm"}

# https://docs.allauth.org/en/latest/socialaccount/configuration.html
# Who a provider may sign in, and when its multi-factor authentication counts (sso/).
SOCIALACCOUNT_ADAPTER = "sso.adapter.SocialAccountAdapter"
# A provider never signs in an existing account because it asserts the account's address:
# the owner connects it after signing in with their password (sso/adapter.py).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = True
# Signing in at a provider starts with a POST (the sign-in form), never a link.
SOCIALACCOUNT_LOGIN_ON_GET = False
# The provider's tokens are used once, at sign-in, and not kept.
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = "oidc"

# https://docs.allauth.org/en/latest/mfa/configuration.html
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Recognise"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False

# Sessions end after this many idle seconds (staff, learners) and, whatever the
# activity, after the absolute lifetime.
SESSION_IDLE_TIMEOUT_STAFF = env_int("SESSION_IDLE_TIMEOUT_STAFF", 30 * 60)
SESSION_IDLE_TIMEOUT_LEARNER = env_int("SESSION_IDLE_TIMEOUT_LEARNER", 8 * 60 * 60)
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_ABSOLUTE_LIFETIME", 24 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME

# Staff areas: staff without MFA are sent to set it up before they get in.
STAFF_AREA_PATH_PREFIXES = ["/admin/", "/trainer/"]

# Internationalisation ----------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["recognise.formats"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static and media files ---------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    # https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_S3_FILE_OVERWRITE = False

# Certificate PDFs name their holders: never under MEDIA_ROOT or in the media bucket,
# and read only by the signed-in download view (certificates/storage.py).
CERTIFICATE_STORAGE_ROOT = Path(os.environ.get("CERTIFICATE_STORAGE_ROOT", VAR_DIR / "private"))
AWS_CERTIFICATES_BUCKET_NAME = os.environ.get("AWS_CERTIFICATES_BUCKET_NAME", "")
if AWS_CERTIFICATES_BUCKET_NAME:
    STORAGES["certificates"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_CERTIFICATES_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "custom_domain": None,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["certificates"] = {
        "BACKEND": "certificates.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": CERTIFICATE_STORAGE_ROOT},
    }

# Email ------------------------------------------------------------------------

vars().update(email_settings_from_url(os.environ.get("EMAIL_URL", "smtp://localhost:25")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Recognise <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security ---------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The admin frames its own page previews; core/csp.py allows that for /admin/ only.
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True  # nothing on the site reads the token from JavaScript
# https://django-csp.readthedocs.io/en/latest/configuration.html
from core.csp import SITE_POLICY  # noqa: E402

CONTENT_SECURITY_POLICY = {"DIRECTIVES": SITE_POLICY}

# Wagtail ----------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Recognise"
# How long a page kept for visitors who are not signed in may live; publishing, moving
# or deleting content and revoking a certificate replace it at once.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# Names the menu a signed-in reader sees, so pages kept per reader variant are never served
# with another role's menu.
PAGE_CACHE_MENU = "accounts.roles.menu_key"
# Pages can exist in English and Welsh; each language version has its own URL.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The admin signs in through allauth, so its rate limits and MFA apply there too.
WAGTAILADMIN_LOGIN_URL = "account_login"
# Passwords are reset through allauth only (rate-limited, audited); Wagtail's own reset
# pages under /admin/password_reset/ answer 404.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Avatars are drawn from initials (recognise/editorial/avatars.py), never fetched from
# Gravatar, which the Content Security Policy blocks and which would learn who edits.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The admin's date pickers in the UK's order, as the site's formats (recognise/formats).
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "csv"]
# Images: real raster images only (no SVG), at most 10 MB and 40 megapixels; the form
# strips metadata and reminds editors never to upload photographs of children.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_IMAGE_FORM_BASE = "recognise.editorial.images.CheckedImageForm"
# Reviewers comment on fields while they review.
WAGTAILADMIN_COMMENTS_ENABLED = True

# Certificates -------------------------------------------------------------------

CERTIFICATE_ISSUER_NAME = os.environ.get("CERTIFICATE_ISSUER_NAME", "Recognise")
# Ed25519 private key (PEM) that signs Open Badges credentials; its public half is
# published at /.well-known/jwks.json. Production refuses to start without it.
OPENBADGES_PRIVATE_KEY = os.environ.get("OPENBADGES_PRIVATE_KEY", "").replace("\\n", "\n")
# Rate limits (core/rate_limits.py): requests allowed per window in seconds, per
# signed-in user or client address, counted in the shared cache.
RATE_LIMITS = {
    "verify": (env_int("CERTIFICATE_VERIFY_RATE", 20), 60),
    "search": (env_int("RATE_LIMIT_SEARCH", 30), 60),
    "quiz_answers": (env_int("RATE_LIMIT_QUIZ_ANSWERS", 30), 60),
    "export": (env_int("RATE_LIMIT_EXPORTS", 20), 60 * 10),
    "invitation": (env_int("RATE_LIMIT_INVITATIONS", 30), 60 * 10),
    # Invitations a trainer may email in a day to addresses outside their organisation's
    # verified domains (cohorts.invitations); the rest of an import is reported, not sent.
    "outside_invitation": (env_int("RATE_LIMIT_OUTSIDE_INVITATIONS", 50), 60 * 60 * 24),
    # Requests to the reporting API per token (reports/api/).
    "reporting_api": (env_int("RATE_LIMIT_REPORTING_API", 120), 60),
}

# Reporting API -----------------------------------------------------------------------

# https://www.django-rest-framework.org/api-guide/settings/
# Nothing is authenticated or allowed by default: each API view names its own
# authentication (the reporting API: a bearer token, never the session cookie, so
# CSRF does not arise) and permissions. Responses are JSON only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# https://drf-spectacular.readthedocs.io/en/latest/settings.html
SPECTACULAR_SETTINGS = {
    "TITLE": "Recognise reporting API",
    "DESCRIPTION": (
        "Read-only training records of one organisation, for HR and business-intelligence "
        "tools. Send an API token made on the trainer pages as `Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/reports/",
    # Its deploy check would describe every DRF view the site serves, Wagtail's admin
    # and catalogue APIs included, which this schema leaves out; the reporting API's own
    # schema is generated and validated in tests/reports.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# Audit log ------------------------------------------------------------------------

# Days an audit event is kept; `manage.py prune_audit_log` (daily) deletes older ones.
AUDIT_LOG_RETENTION_DAYS = env_int("AUDIT_LOG_RETENTION_DAYS", 365)
# Trainers' background jobs (cohorts.jobs): days their exports and reports are kept
# (`manage.py delete_expired_trainer_jobs` deletes older ones), and the size from which
# a finished export is also emailed to the trainer as a link.
TRAINER_JOB_KEEP_DAYS = env_int("TRAINER_JOB_KEEP_DAYS", 7)
TRAINER_JOB_EMAIL_FROM_BYTES = env_int("TRAINER_JOB_EMAIL_FROM_BYTES", 1024 * 1024)
# Where people write about their data; shown in the privacy notice.
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "")

# Where people report accessibility problems; shown in the accessibility statement.
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", "")

# Where people write for help with their account; named in account emails (signing up,
# password resets) and on the account pages. Falls back to the accessibility contact.
HELP_CONTACT_EMAIL = os.environ.get("HELP_CONTACT_EMAIL", "") or ACCESSIBILITY_CONTACT_EMAIL

# Demo accounts have published passwords, so only development and tests may load them.
DEMO_DATA_ALLOWED = False

# Logging ----------------------------------------------------------------------

# One format for every line (core/log_format.py): time, level, logger, request id
# and user id, with tokens and codes in addresses masked; text, or one JSON object per
# line with LOG_FORMAT=json.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "core.log_format.RequestContextFilter"}},
    "formatters": {"site": {"()": "core.log_format.formatter", "log_format": LOG_FORMAT}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request"], "formatter": "site"}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (runserver's request lines among them) would write
        # addresses unmasked and in another format.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.security": {"level": "WARNING"},
        # Every background task logs its start and end at INFO.
        "django_tasks": {"level": "WARNING"},
        # The PDF renderer logs each step of every certificate at INFO.
        "weasyprint.progress": {"level": "WARNING"},
        # One line per audit event (also kept in the database).
        "audit": {"level": "INFO"},
    },
}

# Unhandled errors and ERROR lines go to Sentry, or a service that speaks its protocol,
# when a DSN is set; reports carry no personal data (core/error_reporting.py).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from core.error_reporting import start_error_reporting

    start_error_reporting(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT"),
        release=os.environ.get("SENTRY_RELEASE"),
    )

# /healthz answers 503 when the oldest task waiting for a worker has waited longer than
# this many seconds (no worker running, or one that cannot keep up).
HEALTHZ_TASK_QUEUE_MAX_AGE = env_int("HEALTHZ_TASK_QUEUE_MAX_AGE", 10 * 60)
