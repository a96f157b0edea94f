"""The compliance table as CSV and XLSX, with the filters the trainer chose.

Rows are read with .iterator() as plain tuples and written as they come, so 50,000 rows
are never held in memory: CSV streams line by line, XLSX goes through openpyxl's
write-only mode to a temporary file that is then streamed.

A late joiner's due date is their own (cohorts.due_dates), worked out in Python: the
rows are read in batches, and each batch with late joiners in it asks for their dates
once, so the queries grow with the batches, not with the learners.
"""

import csv
import tempfile
from itertools import islice

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from cohorts.exports import Echo, cell_text, neutralise

from .compliance import STATUSES, cohort_label, ordered

FIELDS = (
    "learner_id",
    "course_id",
    "late_joined",
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


BATCH = 2000


def batches(values):
    values = values.iterator(chunk_size=BATCH)
    while batch := list(islice(values, BATCH)):
        yield batch


def table_rows(rows, due_dates):
    """The export's rows (due_dates: a function of learner ids giving the late joiners'
    own due dates, {(learner, course): date})."""
    statuses = {key: str(label) for key, label in STATUSES.items()}
    for batch in batches(ordered(rows).values_list(*FIELDS)):
        late = {row[0] for row in batch if row[2]}
        own = due_dates(late) if late else {}
        for row in batch:
            learner, course_id, _late, name, email, staff, cohorts, course, status, due = row[:10]
            completed, expires, directly = row[10:]
            due = own.get((learner, course_id), due)
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


def csv_lines(rows, due_dates):
    writer = csv.writer(Echo())
    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
    yield writer.writerow(headings())
    for row in table_rows(rows, due_dates):
        yield writer.writerow(row)


def xlsx_file(rows, due_dates):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Compliance")[:31])
    sheet.append(headings())
    for row in table_rows(rows, due_dates):
        sheet.append([cell_text(value) for value in row])
    # The caller streams and closes the file, so no context manager here.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle
