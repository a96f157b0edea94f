from django.core.management.base import BaseCommand

from recognise.editorial.review import send_due_review_reminders


class Command(BaseCommand):
    help = "Email owners of content whose review is due (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        sent = send_due_review_reminders()
        self.stdout.write(f"{sent} review reminder(s) sent.")
