import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from recognise.home.management.commands.app_shares import PACKAGES
from recognise.settings import base
from recognise.settings.environment import email_settings_from_url
from recognise.settings.signing_key import new_signing_key

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "ALLOWED_HOSTS": "recognise.example.org",
    "WAGTAILADMIN_BASE_URL": "https://recognise.example.org",
    "OPENBADGES_PRIVATE_KEY": new_signing_key(),
}


def run_manage(*args, env, settings_module="recognise.settings.production"):
    clean_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    clean_env.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_badge_signing_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": "k" * 60, "OPENBADGES_PRIVATE_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "OPENBADGES_PRIVATE_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check():
    env = {**PRODUCTION_ENV, "SECRET_KEY": "k" * 20 + "x8Pq2!vR7#tL0@zW9mN4$bC6^hJ1&dF3*gS5"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr


def test_only_the_benchmark_settings_offer_the_benchmark_data_command():
    env = {**PRODUCTION_ENV, "SECRET_KEY": "k" * 60}
    site = run_manage("help", "generate_bench_data", env=env)
    assert site.returncode != 0
    assert "Unknown command: 'generate_bench_data'" in site.stderr
    bench = run_manage(
        "help", "generate_bench_data", env=env, settings_module="benchmarks.settings"
    )
    assert bench.returncode == 0, bench.stderr
    assert "--i-know-this-is-not-production" in bench.stdout


def test_base_settings_are_production_safe():
    assert base.DEBUG is False
    assert os.environ.get("SECRET_KEY", "") == base.SECRET_KEY


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://mailer:p%40ss@mail.example.org:587?tls=1",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "mail.example.org",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "mailer",
                "EMAIL_HOST_PASSWORD": "p@ss",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        (
            "file:///srv/recognise/mail",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": "/srv/recognise/mail",
            },
        ),
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
    ],
)
def test_email_url_becomes_django_mail_settings(url, expected):
    assert email_settings_from_url(url) == expected


def test_unknown_email_scheme_is_a_clear_error():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL scheme"):
        email_settings_from_url("carrier-pigeon://loft")


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# Django writes references to a model's callables (field defaults, managers, a file
# field's storage) into migrations as imports of these modules; anything else a migration
# imports from the project would change under it as the code moves on.
MIGRATION_REFERENCE_MODULES = ("models", "storage")
PROJECT_PACKAGES = set(PACKAGES)


def project_imports(path):
    """The project modules a migration file imports, by statement or import_module()."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            yield node.args[0].value


def test_migrations_import_no_application_code():
    root = Path(__file__).resolve().parents[2]
    offending = []
    for path in sorted(root.glob("**/migrations/0*.py")):
        if ".venv" in path.parts:
            continue
        for module in project_imports(path):
            parts = module.split(".")
            if parts[0] not in PROJECT_PACKAGES or "migrations" in parts:
                continue
            if parts[-1] not in MIGRATION_REFERENCE_MODULES:
                offending.append(f"{path.relative_to(root)} imports {module}")
    assert offending == []


def database_options(**env):
    script = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('server_side_binding'))"
    )
    result = run_manage(
        "shell",
        "-c",
        script,
        env={**PRODUCTION_ENV, "SECRET_KEY": "k" * 60, **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_postgresql_plans_repeated_queries_once_unless_a_pooler_needs_otherwise():
    url = "postgres://recognise@db.example.org:5432/recognise"
    assert database_options(DATABASE_URL=url) == "True"
    assert database_options(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false") == "None"
    # SQLite has no such thing.
    assert database_options() == "None"


def test_the_web_process_sets_what_it_has_loaded_aside_from_the_garbage_collector():
    """A full collection would otherwise walk every object Django and Wagtail loaded,
    stalling a request now and then (make bench measures the p99)."""
    script = (
        "import gc, recognise.wsgi; "
        "import sys; sys.exit(0 if gc.get_freeze_count() > 100_000 else 1)"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "recognise.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, cwd=PROJECT_ROOT, check=False
    )
    assert result.returncode == 0
