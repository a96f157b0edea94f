from django.core.cache import cache
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Empty the site's cache: kept pages, kept objects and counters. Run on every "
        "release, after migrating: objects kept by the previous code may name modules or "
        "fields the new code no longer has."
    )

    def handle(self, *args, **options):
        delete_pattern = getattr(cache, "delete_pattern", None)
        if delete_pattern is not None:
            # Redis (django-redis): only this site's keys (its KEY_PREFIX), so a Redis
            # shared with anything else keeps that; sessions are kept in the database too
            # (cached_db), so nobody is signed out.
            delete_pattern("*")
        else:
            cache.clear()
        self.stdout.write("The cache is empty.")
