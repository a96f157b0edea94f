"""The compliance table as CSV and XLSX, with the filters the trainer chose.

Rows are read with .iterator() as plain tuples and written as they come, so 50,000 rows
are never held in memory: CSV streams line by line, XLSX goes through openpyxl's
write-only mode to a temporary file that is then streamed.
"""

import csv
import tempfile

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from cohorts.exports import Echo, cell_text, neutralise

from .compliance import STATUSES, cohort_label, ordered

FIELDS = (
    "learner_name",
    "learner_email",
    "staff_number",
    "cohort_name",
    "course_title",
    "status",
    "due_date",
    "completed_at",
    "certificate_expires_on",
    "assigned_directly",
)


def headings():
    return [
        _("Name"),
        _("Email"),
        _("Staff number"),
        _("Cohort"),
        _("Course"),
        _("Status"),
        _("Due"),
        _("Completed"),
        _("Certificate valid until"),
    ]


def table_rows(rows):
    statuses = {key: str(label) for key, label in STATUSES.items()}
    values = ordered(rows).values_list(*FIELDS)
    for row in values.iterator(chunk_size=2000):
        name, email, staff, cohorts, course, status, due, completed, expires, directly = row
        yield [
            neutralise(name),
            neutralise(email),
            neutralise(staff),
            neutralise(cohort_label(cohorts, directly)),
            neutralise(course),
            statuses[status],
            due.isoformat(),
            timezone.localtime(completed).date().isoformat() if completed else "",
            expires.isoformat() if expires else "",
        ]


def csv_lines(rows):
    writer = csv.writer(Echo())
    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
    yield writer.writerow(headings())
    for row in table_rows(rows):
        yield writer.writerow(row)


def xlsx_file(rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Compliance")[:31])
    sheet.append(headings())
    for row in table_rows(rows):
        sheet.append([cell_text(value) for value in row])
    # The caller streams and closes the file, so no context manager here.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle
