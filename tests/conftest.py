import fcntl
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
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


# Class-scoped, so the demo is in place before a test's own transaction begins: once for
# a class of tests, and for each test that is not in a class (see tests/demo_database.py).
@pytest.fixture(scope="class")
def demo_data(django_db_setup, django_db_blocker):
    """The whole demo, as `load_demo_data` loads it."""
    with django_db_blocker.unblock():
        yield from demo_database.in_place("load_demo_data")


@pytest.fixture(scope="class")
def demo_content(django_db_setup, django_db_blocker):
    """The demo's courses, guidance and questions, as `load_demo_content` loads them."""
    with django_db_blocker.unblock():
        yield from demo_database.in_place("load_demo_content")


# The fixtures of real servers, which copy the prepared site folder, and the variables
# that name a folder keeping each one's site between runs.
SERVER_FIXTURES = {"site": "BROWSER_SITE_DIR", "live_site": "LIVE_SITE_DIR"}


def kept_site_is_prepared(fixture):
    kept = os.environ.get(SERVER_FIXTURES[fixture])
    return bool(kept) and SiteServer(Path(kept)).is_prepared()


@pytest.fixture(scope="session")
def site_preparation(tmp_path_factory):
    """On SQLite, the prepared site folder (see prepared_site_folder) being made in the
    background; on PostgreSQL, None. The work is done by manage.py processes, so it
    takes the machine's other core while the first tests run, instead of a minute of its
    own before the first test of a server."""
    if browser_database_url():
        yield None
        return
    # The processes of a parallel run (pytest-xdist) share one folder: the first to take
    # the lock prepares it, the others wait for it and copy it.
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    template = SiteServer(shared / "prepared-site", database_suffix="")

    def prepare():
        with (shared / "prepared-site.lock").open("w") as lock:
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
