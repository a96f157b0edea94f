import fcntl
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.utils import translation

from tests import demo_database
from tests.browser.server import SiteServer, browser_database_url
from tests.factories import UserFactory
from tests.query_budgets import production_cache  # noqa: F401  (a fixture)


@pytest.fixture(autouse=True)
def english_until_a_test_says_otherwise():
    """Each test starts in the site's default language, whatever the test before activated
    (reverse() and rendering both follow the active language)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def trainer_jobs_run_in_the_request(monkeypatch):
    """A test's transaction never commits, so a trainer's job queued on commit would
    never run: tests run it at once instead (the immediate backend), and the request
    lands on the finished job's page. Tests of the queue itself undo this."""
    from cohorts import jobs  # noqa: PLC0415 (Django is set up once the session starts)

    monkeypatch.setattr(
        jobs, "enqueue_after_commit", lambda job: jobs.run_trainer_job.enqueue(job.pk)
    )


@pytest.fixture
def learner(db):
    return UserFactory(role="Learner")


@pytest.fixture
def mail_folder(settings, tmp_path):
    """Send mail to files, as development does, so tests read what a person would open."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    return tmp_path / "mail"


def in_parallel_run():
    """Whether this is one of the processes of a parallel run (pytest-xdist)."""
    return bool(os.environ.get("PYTEST_XDIST_WORKER"))


@pytest.fixture(scope="session")
def shared_folder(tmp_path_factory):
    """A folder all the processes of a parallel run share; the session's own otherwise."""
    folder = tmp_path_factory.getbasetemp()
    return folder.parent if in_parallel_run() else folder


@pytest.fixture(scope="session")
def shared_sqlite_folder(shared_folder):
    """Where the processes of a parallel run on SQLite share copies of the test database
    (tests/demo_database.py); None in one process or on PostgreSQL."""
    sqlite = connections["default"].vendor == "sqlite"
    return shared_folder if sqlite and in_parallel_run() else None


@pytest.fixture(scope="session")
def migrated_copy(shared_sqlite_folder):
    """The migrated test database shared by a parallel run on SQLite; None otherwise."""
    if shared_sqlite_folder is None:
        return None
    return demo_database.SharedCopy(shared_sqlite_folder, "migrated")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, migrated_copy):
    """pytest-django's step before it creates the test database. In a parallel run on
    SQLite, a process that finds the migrated copy made has its tables built from the
    models at once (migrating takes half a minute), and the copy replaces them below."""
    if migrated_copy is None:
        yield
        return
    # Held until django_db_setup below has copied the database or made the copy.
    migrated_copy.lock()
    test_settings = connections["default"].settings_dict["TEST"]
    migrate = test_settings["MIGRATE"]
    if migrated_copy.exists():
        test_settings["MIGRATE"] = False
    yield
    test_settings["MIGRATE"] = migrate


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, migrated_copy):
    """pytest-django's test database; in a parallel run on SQLite, the migrated one is
    made by the first process and copied by the others."""
    if migrated_copy is None:
        return
    try:
        with django_db_blocker.unblock():
            # Under the lock, the copy exists exactly when the hook above found it made.
            if migrated_copy.exists():
                demo_database.put_back(migrated_copy.read())
                if hasattr(connection, "_test_serialized_contents"):
                    # Django keeps the database as it was made, for the tests that ask
                    # for it back (serialized_rollback): it must be the migrated one.
                    connection._test_serialized_contents = (
                        connection.creation.serialize_db_to_string()
                    )
            else:
                migrated_copy.save(connection.connection)
    finally:
        migrated_copy.unlock()


# Class-scoped, so the demo is in place before a test's own transaction begins: once for
# a class of tests, and for each test that is not in a class (see tests/demo_database.py).
@pytest.fixture(scope="class")
def demo_data(django_db_setup, django_db_blocker, shared_sqlite_folder):
    """The whole demo, as `load_demo_data` loads it."""
    with django_db_blocker.unblock():
        yield from demo_database.in_place("load_demo_data", shared_sqlite_folder)


@pytest.fixture(scope="class")
def demo_content(django_db_setup, django_db_blocker, shared_sqlite_folder):
    """The demo's courses, guidance and questions, as `load_demo_content` loads them."""
    with django_db_blocker.unblock():
        yield from demo_database.in_place("load_demo_content", shared_sqlite_folder)


# The fixtures of real servers, which copy the prepared site folder, and the variables
# that name a folder keeping each one's site between runs.
SERVER_FIXTURES = {"site": "BROWSER_SITE_DIR", "live_site": "LIVE_SITE_DIR"}


def kept_site_is_prepared(fixture):
    kept = os.environ.get(SERVER_FIXTURES[fixture])
    return bool(kept) and SiteServer(Path(kept)).is_prepared()


@pytest.fixture(scope="session")
def site_preparation(shared_folder):
    """On SQLite, the prepared site folder (see prepared_site_folder) being made in the
    background; on PostgreSQL, None. The work is done by manage.py processes, so it
    takes the machine's other core while the first tests run, instead of a minute of its
    own before the first test of a server."""
    if browser_database_url():
        yield None
        return
    # The processes of a parallel run share one folder: the first to take the lock
    # prepares it, the others wait for it and copy it.
    template = SiteServer(shared_folder / "prepared-site", database_suffix="")

    def prepare():
        with (shared_folder / "prepared-site.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not template.is_prepared():
                template.prepare()
        return template.folder

    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(prepare)


@pytest.fixture(scope="session", autouse=True)
def site_prepared_from_the_start(request):
    """Start preparing the site folder with the session, when any test will need it (a
    site kept between runs and already prepared needs no copy)."""
    needed = {name for item in request.session.items for name in item.fixturenames}
    if any(not kept_site_is_prepared(name) for name in needed & SERVER_FIXTURES.keys()):
        request.getfixturevalue("site_preparation")


@pytest.fixture(scope="session")
def prepared_site_folder(site_preparation):
    """On SQLite, a folder with a database migrated and the demo loaded, prepared once
    per session and copied by each real server (the browser tests' and the live site's)
    rather than each preparing its own, which takes a minute; on PostgreSQL, None: each
    server prepares a database of its own."""
    return None if site_preparation is None else site_preparation.result()
