"""Welsh is a content language alongside English."""

from django.db import migrations


def add_welsh(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="cy")


class Migration(migrations.Migration):
    dependencies = [("home", "0002_create_homepage")]

    operations = [migrations.RunPython(add_welsh, migrations.RunPython.noop)]
