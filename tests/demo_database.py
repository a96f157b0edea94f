"""The demo data, loaded once per test session and put in place for the tests that read it.

Loading the demo (every course in English and Welsh, the organisations, the accounts and
a cohort of 30) takes several seconds; loading it for each test that reads it made up a
large part of the suite's time.

On SQLite (the first pass of `make test`) the database is copied aside in memory with
SQLite's backup API once the demo is loaded, and copied back into the test database
before each test (or class of tests) that asks for it, outside the test's own
transaction; afterwards the database as it was is put back. A test may therefore change
the demo data as it likes, even in committed transactions, and no other test sees it.
On PostgreSQL the demo is loaded in a transaction the first time, every table's rows are
copied out (COPY), and the transaction is rolled back; each test (or class of tests)
that asks for it then gets those rows copied back in a transaction that is rolled back
afterwards, in a fraction of a second instead of the loader's several.

In a parallel run on SQLite (`make test`, pytest-xdist) the processes share what is slow
to build through copies in a shared folder (SharedCopy): the first process to need the
migrated test database or a demo builds it while the others wait, and they copy it.
"""

import fcntl
import io
import sqlite3
from contextlib import closing

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import translation


def load(command):
    """Run a demo command as a test would have: in English, in a transaction whose
    after-commit work never runs (a test's transaction never commits)."""
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        call_command(command, stdout=io.StringIO())
        connection.run_on_commit.clear()


def copy_of_database():
    connection.ensure_connection()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    return copy


def put_back(copy):
    connection.ensure_connection()
    copy.backup(connection.connection)
    ContentType.objects.clear_cache()


class SharedCopy:
    """A copy of the test database in a file shared by the processes of a parallel run.
    The first to hold its lock and find no copy makes it; the others wait, then read it."""

    def __init__(self, folder, name):
        self.path = folder / f"{name}.sqlite3"
        self.lock_path = folder / f"{name}.lock"
        self._lock = None

    def lock(self):
        self._lock = self.lock_path.open("w")
        fcntl.flock(self._lock, fcntl.LOCK_EX)

    def unlock(self):
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock
            self._lock = None

    def exists(self):
        return self.path.exists()

    def save(self, source):
        """Written aside and renamed, so that no process ever reads half a copy."""
        partial = self.path.with_name(self.path.name + ".partial")
        with closing(sqlite3.connect(partial)) as target:
            source.backup(target)
        partial.rename(self.path)

    def read(self):
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        with closing(sqlite3.connect(self.path)) as source:
            source.backup(copy)
        return copy


def loaded(command, shared_folder):
    """A copy of the database with what `command` loads, loaded once per session (or per
    parallel run, through a SharedCopy when `shared_folder` is given)."""
    if shared_folder is None:
        load(command)
        return copy_of_database()
    shared = SharedCopy(shared_folder, command)
    shared.lock()
    try:
        if shared.exists():
            return shared.read()
        load(command)
        copy = copy_of_database()
        shared.save(copy)
        return copy
    finally:
        shared.unlock()


_loaded = {}


def in_place(command, shared_folder=None):
    """A generator for a fixture: the database holds what `command` loads while it is
    suspended, and holds what it held before once it is resumed."""
    if connection.vendor != "sqlite":
        if command not in _loaded:
            with transaction.atomic():
                load(command)
                _loaded[command] = rows_of_every_table()
                transaction.set_rollback(True)
        with transaction.atomic():
            put_rows_back(_loaded[command])
            yield
            transaction.set_rollback(True)
        return

    # Copying into the database needs it outside any transaction: the fixtures that call
    # this are class-scoped, so they run before a test's own transaction begins.
    assert not connection.in_atomic_block, "The demo data is put in place outside a transaction"
    before = copy_of_database()
    try:
        if command not in _loaded:
            _loaded[command] = loaded(command, shared_folder)
        put_back(_loaded[command])
        yield
    finally:
        put_back(before)
        before.close()


# Django's record of the migrations applied is the same before and after any demo.
NOT_COPIED = {"django_migrations"}


def rows_of_every_table():
    """Every table's rows, as PostgreSQL's COPY gives them (binary), by table name."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in NOT_COPIED:
                continue
            name = connection.ops.quote_name(table)
            with cursor.cursor.copy(f"COPY {name} TO STDOUT (FORMAT BINARY)") as copy:
                rows[table] = b"".join(bytes(chunk) for chunk in copy)
    return rows


def put_rows_back(rows):
    """Empty every table copied by rows_of_every_table() and copy its rows back in, in
    the current transaction (foreign keys are checked at its end, so the order of tables
    does not matter), then move each id sequence past the ids copied back."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(connection.ops.quote_name(t) for t in rows)}")
        for table, data in rows.items():
            name = connection.ops.quote_name(table)
            with cursor.cursor.copy(f"COPY {name} FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(data)
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    ContentType.objects.clear_cache()
