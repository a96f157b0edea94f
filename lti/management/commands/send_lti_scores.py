from django.core.management.base import BaseCommand

from lti.tasks import retry_given_up, send_due


class Command(BaseCommand):
    help = (
        "Queue the LTI scores whose next try is due (hourly, from cron or a scheduler); "
        "with --retry-given-up, first give the given-up ones eight more tries."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-given-up",
            action="store_true",
            help="Try again the scores given up (after a platform was down for longer).",
        )

    def handle(self, *args, **options):
        if options["retry_given_up"]:
            self.stdout.write(f"{retry_given_up()} given-up score(s) to try again.")
        self.stdout.write(f"{send_due()} score(s) queued.")
