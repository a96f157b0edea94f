"""Editor and learner text reaches pages only through escaping or the bleach policy."""

import re

from django.conf import settings

# The one place allowed to mark HTML safe: after bleach has cleaned it.
ALLOWED = {"recognise/editorial/sanitising.py"}
PATTERN = re.compile(r"mark_safe\(|\|\s*safe\b|\{%\s*autoescape\s+off")


def test_no_new_unescaped_output():
    offenders = []
    for path in settings.BASE_DIR.rglob("*"):
        relative = path.relative_to(settings.BASE_DIR).as_posix()
        if (
            path.suffix not in {".py", ".html", ".txt"}
            or relative.startswith((".venv/", "tests/", "var/", "staticfiles/"))
            or relative in ALLOWED
            # Plain-text emails are not HTML: escaping would garble apostrophes.
            or ("/email/" in relative and path.suffix == ".txt")
        ):
            continue
        for number, line in enumerate(path.read_text(errors="ignore").splitlines(), start=1):
            if PATTERN.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
