from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.totp import current_totp_code
from recognise.demo.people import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current authenticator code for the staff demo accounts."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo accounts exist only in development and tests.")
        self.stdout.write(current_totp_code(DEMO_TOTP_SECRET))
