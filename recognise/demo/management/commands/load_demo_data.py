from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from recognise.demo.everything import load_everything
from recognise.demo.loading import ContentError
from recognise.demo.people import DEMO_PASSWORD, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Create or update the demo site, organisations and one account per role."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo data has published passwords and is only allowed in development "
                "and tests (settings.DEMO_DATA_ALLOWED)."
            )
        try:
            courses, organisations, accounts = load_everything()
        except ContentError as error:
            raise CommandError(str(error)) from error

        self.stdout.write(self.style.SUCCESS(f"Demo data is ready: {len(courses)} courses."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/accounts/login/ with:")
        for demo, user in accounts:
            organisation = organisations[demo.organisation].name if demo.organisation else "-"
            role = "Administrator" if demo.superuser else demo.role
            self.stdout.write(f"  {user.email:<24} {role:<22} {organisation}")
        self.stdout.write(
            "  officer01@example.org … officer30@example.org: learners in the demo "
            "trainer's cohort, in varied states"
        )
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(
            "Staff accounts ask for an authenticator code: run `make demo-code` "
            f"(or add the secret {DEMO_TOTP_SECRET} to an authenticator app)."
        )
