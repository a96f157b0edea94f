from django.core.management.base import BaseCommand

from certificates.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Send certificate expiry reminders that are due (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        sent = send_due_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
