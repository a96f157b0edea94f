from django.core.management.base import BaseCommand

from lti.tasks import send_due


class Command(BaseCommand):
    help = "Queue the LTI scores whose next try is due (hourly, from cron or a scheduler)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_due()} score(s) queued.")
