"""Checks that a restored installation is whole: `manage.py check_restore` runs them.

A backup that cannot be restored is no backup, so docs/operations.md asks for a restore
drill; these checks say whether it worked. Each check returns the problems it found (an
empty list when all is well), named precisely enough to act on.
"""

import json
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from certificates import openbadges
from certificates.models import Certificate
from core.site_urls import absolute_url

# Missing files named in the report, per kind; the rest are counted.
NAMED_FILES = 20


@dataclass
class Result:
    """What one check found: a line for the report, and any problems."""

    name: str
    summary: str = ""
    problems: list = field(default_factory=list)

    @property
    def passed(self):
        return not self.problems


def check_database():
    result = Result("Database")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        result.problems.append(f"the database does not answer: {error}")
        return result
    if plan:
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _ in plan)
        result.problems.append(
            f"{len(plan)} migration(s) not applied (run manage.py migrate): {names}"
        )
    else:
        result.summary = f"answers ({connection.vendor}); every migration is applied"
    return result


def check_secret_key():
    result = Result("SECRET_KEY")
    try:
        key_is_set = bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses to read an empty key
        key_is_set = False
    if not key_is_set:
        result.problems.append("SECRET_KEY is not set")
        return result
    # Sessions are signed with SECRET_KEY: a live session that no longer reads back means
    # the key is not the one the backed-up installation used.
    session = Session.objects.filter(expire_date__gt=timezone.now()).order_by("-expire_date")
    session = session.first()
    if session is not None and not session.get_decoded():
        result.problems.append(
            "SECRET_KEY is set but is not the key the stored sessions were signed with; "
            "restore the SECRET_KEY of the backed-up installation"
        )
    else:
        result.summary = "set" + (
            "; stored sessions read back with it" if session is not None else ""
        )
    return result


def _published_key_set(source):
    """The key set published before the restore: a URL, or a saved copy of the file."""
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=10) as response:  # noqa: S310 (http(s) only)
            return json.loads(response.read())
    return json.loads(Path(source).read_text(encoding="utf-8"))


def check_signing_key(published_source=None):
    result = Result("Signing key")
    try:
        # What this installation publishes at /.well-known/jwks.json (the jwks view).
        built = openbadges.jwks()
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        result.problems.append(f"OPENBADGES_PRIVATE_KEY cannot be used: {error}")
        return result
    source = published_source or absolute_url(reverse("jwks"))
    try:
        published = _published_key_set(source)
        published_ids = {key["kid"] for key in published["keys"]}
    except (OSError, ValueError, KeyError, TypeError) as error:
        result.problems.append(
            f"the published key set could not be read from {source}: {error}; "
            "pass --published-jwks with its URL or a saved copy"
        )
        return result
    built_ids = {key["kid"] for key in built["keys"]}
    if built_ids.isdisjoint(published_ids):
        result.problems.append(
            f"OPENBADGES_PRIVATE_KEY does not match the published key set at {source}: "
            f"this installation signs with key {', '.join(sorted(built_ids))}, the published "
            f"key set holds {', '.join(sorted(published_ids)) or 'no key'}. Every credential "
            "issued so far would fail verification; restore the escrowed key"
        )
    else:
        result.summary = f"key {', '.join(sorted(built_ids))} matches {source}"
    return result


def _missing(file_fields):
    """(count checked, names of files the storage does not have)."""
    checked, missing = 0, []
    for file in file_fields:
        if not file:
            continue
        checked += 1
        if not file.storage.exists(file.name):
            missing.append(file.name)
    return checked, missing


def _stored_files():
    """Every kind of stored file the database refers to, with the files themselves."""
    image_model = get_image_model()
    rendition_model = image_model.get_rendition_model()
    return [
        (
            "certificate PDFs",
            (c.pdf for c in Certificate.objects.exclude(pdf="").only("pk", "pdf").iterator()),
        ),
        ("images", (i.file for i in image_model.objects.only("pk", "file").iterator())),
        (
            "image renditions",
            (r.file for r in rendition_model.objects.only("pk", "file").iterator()),
        ),
        (
            "documents",
            (d.file for d in get_document_model().objects.only("pk", "file").iterator()),
        ),
    ]


def check_stored_files():
    result = Result("Stored files")
    counts = []
    for kind, files in _stored_files():
        checked, missing = _missing(files)
        counts.append(f"{checked} {kind}")
        if missing:
            named = ", ".join(missing[:NAMED_FILES])
            more = f" and {len(missing) - NAMED_FILES} more" if len(missing) > NAMED_FILES else ""
            result.problems.append(
                f"{len(missing)} of {checked} {kind} missing from storage: {named}{more}"
            )
    result.summary = "all present: " + ", ".join(counts)
    return result


def run_checks(published_jwks=None):
    database = check_database()
    if not database.passed:
        # Nothing else can be read without the database.
        return [database]
    return [
        database,
        check_secret_key(),
        check_signing_key(published_jwks),
        check_stored_files(),
    ]
