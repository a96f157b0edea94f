from importlib import import_module

from django.db import migrations

# Recounting is what filling the figures in did; the figures now count only attempts of
# the current cycle, so enrolments taking a refresher had counted earlier ones.
fill_in_figures = import_module("courses.migrations.0005_enrolment_progress_figures").fill_in_figures


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0006_enrolment_completions_index"),
    ]

    operations = [migrations.RunPython(fill_in_figures, migrations.RunPython.noop)]
