from django.core.management.base import BaseCommand, CommandError

from recognise.demo.everything import load_courses
from recognise.demo.loading import ContentError


class Command(BaseCommand):
    help = "Create or update the demo sectors and courses from the YAML files in content/."

    def handle(self, *args, **options):
        try:
            courses = load_courses()
        except ContentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{len(courses)} demo courses are up to date."))
