from django.core.management.base import BaseCommand

from cohorts.reminders import send_learner_reminders, send_trainer_summaries


class Command(BaseCommand):
    help = (
        "Remind learners of assignments due in 7 days or overdue (run daily); with "
        "--trainer-summary, email trainers their overdue learners (run weekly)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--trainer-summary", action="store_true")

    def handle(self, *args, **options):
        if options["trainer_summary"]:
            self.stdout.write(f"{send_trainer_summaries()} trainer summary email(s) sent.")
        else:
            self.stdout.write(f"{send_learner_reminders()} assignment reminder(s) sent.")
