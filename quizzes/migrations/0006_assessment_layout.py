from django.db import migrations, models

CHOICES = [("one_page", "All questions on one page"), ("paged", "One question per page")]
HELP = (
    "One question per page keeps a scenario's questions together on one page, after its "
    "story, and ends with a page to check the answers before submitting."
)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0004_question_review_permissions"),
    ]

    operations = [
        # Assessments that already exist keep the layout their learners know; new ones are
        # paged by default.
        migrations.AddField(
            model_name="assessmentpage",
            name="layout",
            field=models.CharField(
                choices=CHOICES,
                default="one_page",
                help_text=HELP,
                max_length=20,
                verbose_name="layout",
            ),
        ),
        migrations.AlterField(
            model_name="assessmentpage",
            name="layout",
            field=models.CharField(
                choices=CHOICES,
                default="paged",
                help_text=HELP,
                max_length=20,
                verbose_name="layout",
            ),
        ),
    ]
