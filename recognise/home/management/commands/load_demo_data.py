from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    load_demo_accounts,
    load_demo_organisations,
)
from cohorts.demo import load_demo_cohort
from courses.demo_content import ContentError, load_demo_content
from courses.demo_translations import load_welsh_demo_pages
from guidance.demo_content import load_demo_guidance
from recognise.home.demo import load_demo_home_page


class Command(BaseCommand):
    help = "Create or update the demo site, organisations and one account per role."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo data has published passwords and is only allowed in development "
                "and tests (settings.DEMO_DATA_ALLOWED)."
            )
        load_demo_home_page()
        try:
            courses = load_demo_content()
        except (ContentError, KeyError) as error:
            raise CommandError(f"Demo content could not be loaded: {error}") from error
        organisations = load_demo_organisations()
        accounts = load_demo_accounts(organisations)
        try:
            load_demo_guidance()
        except (ContentError, KeyError) as error:
            raise CommandError(f"Demo guidance could not be loaded: {error}") from error
        load_welsh_demo_pages()
        load_demo_cohort()

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
