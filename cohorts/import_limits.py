"""How much one address import may take, and how it is refused."""

# A force's whole intake in one file; the import job works through it in batches.
MAX_ADDRESSES = 10_000
MAX_FILE_BYTES = 4 * 1024 * 1024


class ImportRefused(Exception):
    """The whole file or list was refused; nothing was imported."""
