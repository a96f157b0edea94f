from django.core.management.base import BaseCommand

from xapi.tasks import delete_old_sent, retry_given_up, send_due


class Command(BaseCommand):
    help = (
        "Queue the xAPI statements whose next try is due (hourly, from cron or a "
        "scheduler), and delete those sent over 30 days ago; with --retry-given-up, first "
        "give the given-up ones eight more tries."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-given-up",
            action="store_true",
            help="Try again the statements given up (after an LRS was down for longer).",
        )

    def handle(self, *args, **options):
        if options["retry_given_up"]:
            self.stdout.write(f"{retry_given_up()} given-up statement(s) to try again.")
        count = send_due()
        self.stdout.write(f"{count} statement(s) queued.")
        self.stdout.write(f"{delete_old_sent()} statement(s) sent over 30 days ago deleted.")
