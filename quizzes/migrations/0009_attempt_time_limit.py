"""Attempts record the time limit they run under (with any adjustment the learner had).
Attempts started before then had a deadline only: their limit is read back from it."""

from django.db import migrations, models


def limits_from_deadlines(apps, schema_editor):
    Attempt = apps.get_model("quizzes", "Attempt")
    for attempt in Attempt.objects.filter(deadline__isnull=False).only("pk", "started_at", "deadline").iterator():
        minutes = round((attempt.deadline - attempt.started_at).total_seconds() / 60)
        Attempt.objects.filter(pk=attempt.pk).update(time_limit_minutes=max(minutes, 1))


class Migration(migrations.Migration):

    dependencies = [
        ('quizzes', '0008_question_workflow'),
    ]

    operations = [
        migrations.AddField(
            model_name='attempt',
            name='adjustment',
            field=models.CharField(blank=True, default='', max_length=30, verbose_name='time adjustment'),
        ),
        migrations.AddField(
            model_name='attempt',
            name='time_limit_minutes',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='time limit (minutes)'),
        ),
        migrations.RunPython(limits_from_deadlines, migrations.RunPython.noop),
    ]
