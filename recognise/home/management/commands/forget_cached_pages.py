from django.core.management.base import BaseCommand

from core.page_cache import forget_all_pages


class Command(BaseCommand):
    help = (
        "Stop serving every page kept in the page cache, so a release's templates show at "
        "once instead of after PAGE_CACHE_SECONDS. Run on release, after migrating."
    )

    def handle(self, *args, **options):
        forget_all_pages()
        self.stdout.write("Cached pages will be rendered afresh.")
