from django.core.management.base import BaseCommand, CommandError

from courses.demo_content import ContentError, load_demo_content


class Command(BaseCommand):
    help = "Create or update the demo sectors and courses from the YAML files in content/."

    def handle(self, *args, **options):
        try:
            courses = load_demo_content()
        except (ContentError, KeyError) as error:
            raise CommandError(f"Demo content could not be loaded: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"{len(courses)} demo courses are up to date."))
