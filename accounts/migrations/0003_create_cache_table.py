"""The database cache table, used for rate limits when REDIS_URL is not set.

Created by a migration so that every database, including each test database,
has it without a separate command.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_create_role_groups")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
