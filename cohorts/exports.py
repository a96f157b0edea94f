"""Cohort exports: CSV and XLSX of the learner table, and a ZIP of certificate PDFs.

Rows are read with .iterator() and written as they come, so a 10,000-learner cohort
is never held in memory; XLSX goes through openpyxl's write-only mode to a temporary
file, ZIPs through a spooled temporary file.
"""

import csv
import re
import tempfile
import zipfile

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from certificates.models import Certificate

from .dashboard import EARLIER_VERSION, STATUSES, certificate_status, required_total

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters a sheet title may not hold, and its greatest length (Excel's rules, which
# openpyxl enforces with an exception).
SHEET_TITLE_REFUSES = re.compile(r"[/\\?*\[\]:]")
SHEET_TITLE_LENGTH = 31


def sheet_title(name):
    """A cohort's name as a sheet title: "Intake 2026/27" becomes "Intake 2026-27"."""
    title = ILLEGAL_CHARACTERS_RE.sub("", SHEET_TITLE_REFUSES.sub("-", name))
    title = title[:SHEET_TITLE_LENGTH].strip(" '")
    return title or "Cohort"


def cell_text(value):
    """Control characters (a name pasted with one) are not allowed in an XLSX cell."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def neutralise(value):
    """Spreadsheets run cells that start like a formula; prefix them so they stay text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def headings():
    return [
        _("Name"),
        _("Email"),
        _("Status"),
        _("Progress (%)"),
        _("Best assessment score (%)"),
        _("Completed"),
        _("Certificate"),
        _("Certificate valid until"),
        _("Course changed since"),
    ]


def table_rows(rows, course):
    today = timezone.localdate()
    total = required_total(course)
    for row in rows.order_by("display_name", "email").iterator(chunk_size=500):
        progress = round(100 * min(row.items_done, total) / total) if total else 0
        _state, certificate = certificate_status(row.certificate_expires_on, today)
        yield [
            neutralise(row.display_name),
            neutralise(row.email),
            str(STATUSES[row.status]),
            progress,
            row.best_score if row.best_score is not None else "",
            timezone.localtime(row.completed_at).date().isoformat() if row.completed_at else "",
            str(certificate),
            row.certificate_expires_on.isoformat() if row.certificate_expires_on else "",
            str(EARLIER_VERSION) if row.earlier_version else "",
        ]


class Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value):
        return value


def csv_lines(rows, course):
    writer = csv.writer(Echo())
    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
    yield writer.writerow(headings())
    for row in table_rows(rows, course):
        yield writer.writerow(row)


def xlsx_file(rows, course, title):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    sheet.append(headings())
    for row in table_rows(rows, course):
        sheet.append([cell_text(value) for value in row])
    # The caller streams and closes the file, so no context manager here.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle


def certificates_zip(cohort, course):
    """The current certificate PDF of each cohort member for the course."""
    handle = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115
    certificates = Certificate.objects.filter(
        user__cohort_memberships__cohort=cohort, course=course, revoked_at__isnull=True
    ).order_by("user_id", "-issued_at")
    seen = set()
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates.iterator(chunk_size=200):
            if certificate.user_id in seen or not certificate.pdf:
                continue
            seen.add(certificate.user_id)
            safe_name = "".join(ch for ch in certificate.holder_name if ch.isalnum() or ch in " -_")
            with certificate.pdf.open("rb") as pdf:
                archive.writestr(
                    f"{safe_name.strip() or 'certificate'}-{certificate.code}.pdf", pdf.read()
                )
    handle.seek(0)
    return handle
