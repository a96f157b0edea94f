"""Where certificate PDFs are kept: storage that is never public.

A PDF names its holder, so it is served only through the signed-in download view. The
"certificates" storage (settings.STORAGES) is a folder outside MEDIA_ROOT, so no media
rule on a web server can reach it, or a private bucket read with signed requests only.
The model's FileField names certificate_storage, a callable, so migrations record a
reference rather than a storage, and tests that change STORAGES get the new one.
"""

from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import LazyObject, empty

ALIAS = "certificates"


class PrivateFileSystemStorage(FileSystemStorage):
    """Local storage with no public address: files are read and sent by a view."""

    def url(self, name):
        raise ValueError("Certificate PDFs have no public address; use the download view.")


class CertificateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages[ALIAS]


private_storage = CertificateStorage()


def certificate_storage():
    return private_storage


def forget_storage():
    """Tests that change STORAGES get the new certificate storage (certificates.receivers)."""
    private_storage._wrapped = empty
