"""Reading the addresses a trainer uploads: a CSV file in whichever encoding their
spreadsheet saved it, each address with the line of the file it came from, so that the
import report can point at the line."""

import codecs
import csv
import io

from django.utils.translation import gettext as _

from .import_limits import MAX_ADDRESSES, MAX_FILE_BYTES, ImportRefused

# Byte order marks, longest first: a UTF-32 mark begins like a UTF-16 one.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def save_as_csv():
    return _("Save it from your spreadsheet as “CSV UTF-8” and upload it again.")


def decoded(raw):
    """The file's text. A byte order mark says the encoding (Excel's "Unicode text" is
    UTF-16 with one); without one, UTF-8, else Windows' Western encoding, which older
    Excel uses for "CSV" and which reads every byte (Latin-1 too)."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as error:
                raise ImportRefused(
                    _("The file could not be read as text.") + " " + save_as_csv()
                ) from error
    if b"\x00" in raw:
        # UTF-16 without its mark, or not a text file at all (a workbook, a picture).
        raise ImportRefused(_("The file is not a CSV text file.") + " " + save_as_csv())
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


def delimiter(text):
    """Commas, or what the first line is separated by: Excel saves "Unicode text" with
    tabs, and "CSV" with semicolons where a comma is the decimal point."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {separator: first.count(separator) for separator in ",;\t"}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def numbered_addresses(upload):
    """(line, address) for each row of a CSV file: the column headed "email", else the
    first column. A row without an address is kept (and reported) unless it is blank."""
    raw = upload.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ImportRefused(
            _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 1024 // 1024}
        )
    text = decoded(raw)
    if "\x00" in text:
        raise ImportRefused(_("The file is not a CSV text file.") + " " + save_as_csv())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    rows = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
    except csv.Error as error:
        raise ImportRefused(
            _("Line %(line)s of the file is not valid CSV: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    if not rows:
        raise ImportRefused(_("The file has no addresses in it."))
    header = [cell.strip().lower() for cell in rows[0][1]]
    column = header.index("email") if "email" in header else 0
    if "email" in header or (header and "@" not in header[0]):
        rows = rows[1:]
    if len(rows) > MAX_ADDRESSES:
        raise ImportRefused(
            _("Import at most %(count)s addresses at a time.") % {"count": MAX_ADDRESSES}
        )
    return [(line, row[column].strip() if column < len(row) else "") for line, row in rows]
