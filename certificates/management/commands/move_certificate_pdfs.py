"""Move certificate PDFs stored before they had private storage out of media storage."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from certificates.models import Certificate
from certificates.storage import certificate_storage


class Command(BaseCommand):
    help = (
        "Move certificate PDFs from media storage (MEDIA_ROOT or the media bucket) to the "
        "private certificates storage. Safe to run more than once."
    )

    def handle(self, *args, **options):
        private = certificate_storage()
        moved = missing = 0
        names = Certificate.objects.exclude(pdf="").values_list("pdf", flat=True)
        for name in names.iterator():
            if private.exists(name):
                if default_storage.exists(name):
                    default_storage.delete(name)
                continue
            if not default_storage.exists(name):
                missing += 1
                continue
            with default_storage.open(name, "rb") as source:
                saved = private.save(name, source)
            if saved != name:
                raise RuntimeError(f"{name} was stored as {saved}; nothing deleted.")
            default_storage.delete(name)
            moved += 1
        self.stdout.write(
            f"Moved {moved} certificate PDF(s) to private storage; "
            f"{missing} not found in media storage (built again on first download)."
        )
