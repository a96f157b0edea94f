from django.core.management.base import BaseCommand, CommandError

from recognise.home.restore_check import run_checks


class Command(BaseCommand):
    help = (
        "Check a restored installation (docs/operations.md): the database answers with "
        "every migration applied, SECRET_KEY is set and reads the stored sessions, the "
        "signing key matches the published key set, and every certificate PDF, image, "
        "rendition and document the database refers to is in storage. Exits non-zero "
        "on any failure."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--published-jwks",
            metavar="URL_OR_FILE",
            help=(
                "The key set published before the restore, as a URL or a saved copy of "
                "/.well-known/jwks.json (default: the site's own address)."
            ),
        )

    def handle(self, *args, **options):
        results = run_checks(options["published_jwks"])
        for result in results:
            if result.passed:
                self.stdout.write(self.style.SUCCESS(f"OK    {result.name}: {result.summary}"))
            else:
                for problem in result.problems:
                    self.stdout.write(self.style.ERROR(f"FAIL  {result.name}: {problem}"))
        failed = [result.name for result in results if not result.passed]
        if failed:
            raise CommandError(f"The restore check failed: {', '.join(failed)}.")
        self.stdout.write(self.style.SUCCESS("The restored installation is whole."))
