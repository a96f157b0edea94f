"""Editors and publishers manage the question bank; reviewers may look at it."""

from django.db import migrations

MODELS = ["question", "scenariogroup", "questioncategory"]
GRANTS = {
    "NGO editor": ["add", "change", "view"],
    "Publisher": ["add", "change", "delete", "view"],
    "Safeguarding reviewer": ["view"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for group_name, actions in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model in MODELS:
            content_type, _ = ContentType.objects.get_or_create(app_label="quizzes", model=model)
            for action in actions:
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {model}"},
                )
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_initial"),
        ("accounts", "0002_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
