"""Cohort exports: CSV and XLSX of the learner table, and a ZIP of certificate PDFs.

Rows are read with .iterator() and written as they come, so a 10,000-learner cohort
is never held in memory; XLSX goes through openpyxl's write-only mode to a temporary
file, ZIPs through a spooled temporary file.
"""

import csv
import itertools
import logging
import re
import tempfile
import zipfile

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from certificates.models import Certificate
from certificates.pdf_files import store_pdf

from .dashboard import EARLIER_VERSION, STATUSES, certificate_status, required_total

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters a sheet title may not hold, and its greatest length (Excel's rules, which
# openpyxl enforces with an exception).
SHEET_TITLE_REFUSES = re.compile(r"[/\\?*\[\]:]")
SHEET_TITLE_LENGTH = 31
# Certificates read at a time for the ZIP of PDFs (any not built yet are built then).
ZIP_BATCH = 100

logger = logging.getLogger(__name__)


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
        _("Staff number"),
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
            neutralise(row.staff_number),
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


def certificate_file(certificate):
    """The certificate's PDF as bytes, built first when it has not been built yet (its
    background build is still waiting or failed) or its file has gone missing; None when
    it cannot be built now."""
    if certificate.pdf:
        try:
            with certificate.pdf.open("rb") as pdf:
                return pdf.read()
        except FileNotFoundError:
            logger.warning("Certificate %s PDF file is missing; building it again", certificate.pk)
    try:
        store_pdf(certificate)
        with certificate.pdf.open("rb") as pdf:
            return pdf.read()
    except Exception:  # any renderer or storage failure: the certificate is listed instead
        logger.exception("Certificate %s PDF could not be built for an export", certificate.pk)
        return None


def missing_readme(missing):
    lines = [
        _(
            "These certificates are not in this file, because their PDF could not be made "
            "just now. Download the file again later to include them."
        ),
        "",
    ]
    lines += [
        f"{certificate.holder_name} – {certificate.course_title} – {certificate.formatted_code}"
        for certificate in missing
    ]
    return "\r\n".join(lines) + "\r\n"


def certificates_zip(cohort, course):
    """The current certificate PDF of each cohort member for the course.

    None is left out silently: a certificate whose PDF is not built yet is built here,
    a batch of rows at a time, and one that cannot be built is named in README.txt.
    """
    handle = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115
    certificates = (
        Certificate.objects.filter(
            user__cohort_memberships__cohort=cohort, course=course, revoked_at__isnull=True
        )
        .select_related("user")
        .order_by("user_id", "-issued_at", "pk")
    )
    seen = set()
    missing = []
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
        # Each batch is read whole before any PDF is built, so no read is open while a
        # build writes.
        for start in itertools.count(0, ZIP_BATCH):
            batch = list(certificates[start : start + ZIP_BATCH])
            for certificate in batch:
                if certificate.user_id in seen:
                    continue
                seen.add(certificate.user_id)
                content = certificate_file(certificate)
                if content is None:
                    missing.append(certificate)
                    continue
                safe_name = "".join(
                    ch for ch in certificate.holder_name if ch.isalnum() or ch in " -_"
                )
                archive.writestr(
                    f"{safe_name.strip() or 'certificate'}-{certificate.code}.pdf", content
                )
            if len(batch) < ZIP_BATCH:
                break
        if missing:
            archive.writestr("README.txt", missing_readme(missing).encode("utf-8"))
    handle.seek(0)
    return handle
