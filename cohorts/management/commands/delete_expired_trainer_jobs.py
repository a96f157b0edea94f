from django.core.management.base import BaseCommand

from cohorts.jobs import delete_expired_jobs


class Command(BaseCommand):
    help = (
        "Delete trainers' background jobs kept longer than TRAINER_JOB_KEEP_DAYS, with "
        "their export files (run daily)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{delete_expired_jobs()} expired trainer job(s) deleted.")
