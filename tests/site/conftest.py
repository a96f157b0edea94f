import os
from pathlib import Path

import pytest

from tests.browser.server import SiteServer


@pytest.fixture(scope="session")
def live_site(request, tmp_path_factory):
    """A database of its own with the demo data, on SQLite in a folder or on PostgreSQL
    when DATABASE_URL points there, for tests that need separate processes (a real
    server, a worker that is killed). Built once per test session; LIVE_SITE_DIR keeps
    it between runs while working on these tests (delete the folder to start afresh)."""
    kept = os.environ.get("LIVE_SITE_DIR")
    folder = Path(kept) if kept else tmp_path_factory.mktemp("live-site")
    site = SiteServer(folder, database_suffix="_live")
    if not site.is_prepared():
        site.prepare(request.getfixturevalue("prepared_site_folder"))
    return site
