"""The floor plan holds: no import cycle between apps, and no app grows over a quarter of
the code. (The layer contracts themselves are checked by `lint-imports` in `make lint`.)"""

import sys
from io import StringIO
from itertools import combinations
from pathlib import Path

import grimp
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from recognise.home.management.commands.app_shares import PACKAGES, lines_per_app

SITE_APPS = sorted(
    f"recognise.{path.parent.name}"
    for path in (Path(settings.BASE_DIR) / "recognise").glob("*/apps.py")
)


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES, include_external_packages=False)


def test_the_checks_cover_every_app_of_the_project():
    """The cycle, size and receiver checks read PACKAGES: an app left out of it would
    escape all three."""
    base = Path(settings.BASE_DIR).resolve()
    paths = [Path(config.path).resolve() for config in apps.get_app_configs()]
    installed = {
        path.relative_to(base).parts[0]
        for path in paths
        # A virtual environment may sit inside the project's folder.
        if path.is_relative_to(base) and "site-packages" not in path.parts
    }
    assert installed - {"benchmarks"} == set(PACKAGES)


def test_the_site_apps_are_found():
    assert {"recognise.home", "recognise.editorial"} <= set(SITE_APPS)


def test_no_two_apps_import_each_other(graph):
    units = [package for package in PACKAGES if package != "recognise"] + SITE_APPS
    cycles = [
        (first, second)
        for first, second in combinations(units, 2)
        if graph.chain_exists(importer=first, imported=second, as_packages=True)
        and graph.chain_exists(importer=second, imported=first, as_packages=True)
    ]
    assert cycles == []


def test_no_app_holds_more_than_a_quarter_of_the_lines():
    call_command("app_shares", stdout=StringIO())


def test_the_share_check_fails_for_an_app_that_grew_too_big(tmp_path, settings):
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "module.py").write_text("x = 1\n" * 10)
    (tmp_path / "cohorts" / "module.py").write_text("x = 1\n" * 100)
    counts = lines_per_app(tmp_path)
    assert counts["cohorts"] == 100
    assert counts["core"] == 10
    settings.BASE_DIR = tmp_path
    with pytest.raises(CommandError, match="cohorts"):
        call_command("app_shares", stdout=StringIO())


def test_signal_receivers_live_only_in_each_apps_receivers_module():
    """Each app's receivers are in <app>/receivers.py, which its ready() imports; nothing
    else connects a receiver (a module that connected itself on import would depend on
    who happened to import it first)."""
    base = Path(settings.BASE_DIR)
    connecting = []
    for package in PACKAGES:
        for path in (base / package).rglob("*.py"):
            if path.name == "receivers.py" or "migrations" in path.parts:
                continue
            text = path.read_text()
            if "@receiver(" in text or ".connect(" in text:
                connecting.append(str(path.relative_to(base)))
    assert connecting == []


def test_every_receivers_module_is_connected_when_the_site_starts():
    with_receivers = [
        config.name
        for config in apps.get_app_configs()
        if (Path(config.path) / "receivers.py").exists()
    ]
    assert "learning" in with_receivers
    assert [name for name in with_receivers if f"{name}.receivers" not in sys.modules] == []
