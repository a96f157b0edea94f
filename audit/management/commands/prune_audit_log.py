import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from audit.models import AuditEvent


class Command(BaseCommand):
    help = "Delete audit events older than AUDIT_LOG_RETENTION_DAYS (run daily)."

    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(days=settings.AUDIT_LOG_RETENTION_DAYS)
        deleted, _by_model = AuditEvent.objects.filter(timestamp__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} audit events older than {cutoff:%Y-%m-%d}.")
