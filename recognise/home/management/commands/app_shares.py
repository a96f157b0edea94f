"""Print each app's share of the project's Python lines, and fail when one holds too much.

Tests, migrations and the benchmarks are left out: the point is that no single app
becomes the place every change has to touch."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Every top-level package of the project's installed apps, the benchmarks aside
# (tests/settings/test_architecture.py checks that none is missing).
PACKAGES = [
    "core", "audit", "accounts", "sso", "courses", "guidance", "quizzes", "learning",
    "certificates", "xapi", "cohorts", "lti", "reports", "recognise",
]  # fmt: skip
LARGEST_SHARE = 0.25


def app_of(path, base_dir):
    """The app a file belongs to: a top-level package, or one of the site's own apps
    (recognise/home, recognise/editorial...); settings and urls count as "recognise"."""
    parts = path.relative_to(base_dir).parts
    if (
        parts[0] == "recognise"
        and len(parts) > 2
        and (base_dir / parts[0] / parts[1] / "apps.py").exists()
    ):
        return f"recognise.{parts[1]}"
    return parts[0]


def lines_per_app(base_dir):
    base_dir = Path(base_dir)
    counts = {}
    for package in PACKAGES:
        for path in (base_dir / package).rglob("*.py"):
            if "migrations" not in path.parts:
                app = app_of(path, base_dir)
                counts[app] = counts.get(app, 0) + len(path.read_text().splitlines())
    return counts


class Command(BaseCommand):
    help = "Print each app's share of the project's lines; fail if one holds over 25%."

    def handle(self, *args, **options):
        counts = lines_per_app(settings.BASE_DIR)
        total = sum(counts.values())
        for app, lines in sorted(counts.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {app:<22} {lines:>6} lines  {lines / total:6.1%}")
        self.stdout.write(f"  {'total':<22} {total:>6} lines")
        too_big = [app for app, lines in counts.items() if lines > LARGEST_SHARE * total]
        if too_big:
            raise CommandError(
                f"{', '.join(too_big)} hold(s) more than {LARGEST_SHARE:.0%} of the lines: "
                "split by job (docs/architecture.md)."
            )
