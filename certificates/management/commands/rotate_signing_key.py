"""Make a new Open Badges signing key, keeping the old one to verify what it signed."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Back up the current Open Badges signing key to --backup-dir, then make a new "
        "current key. Earlier keys stay published so their credentials keep verifying."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backup-dir",
            help="Directory to write the current key's backup to (kept off the server).",
        )

    def handle(self, *args, backup_dir=None, **options):
        from certificates import keys
        from certificates.openbadges import forget_status_lists

        if not backup_dir:
            raise CommandError(
                "Give --backup-dir PATH: the current signing key is backed up there before "
                "a new one is made, so that it can be restored. Nothing was changed."
            )
        try:
            backups, old_kid, new_kid = keys.rotate(backup_dir)
        except (OSError, ValueError) as error:
            raise CommandError(f"The key was not rotated: {error}") from error
        forget_status_lists()
        self.stdout.write(
            f"Backed up key {old_kid} and the new current key {new_kid} to "
            f"{', '.join(str(path) for path in backups)}.\n"
            "Move the backups somewhere safe and offline, then delete them here."
        )
