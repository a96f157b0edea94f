"""Question changes are reviewed: publishers publish them; NGO editors only save drafts.

Scenario stems and categories are read by learners or decide whose question is whose,
so only publishers change them now; NGO editors keep reading them.
"""

from django.db import migrations

PUBLISHER_GRANTS = {"question": ["publish"]}
EDITOR_REVOKES = {
    "scenariogroup": ["add", "change"],
    "questioncategory": ["add", "change"],
}


def permission(apps, model, action):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="quizzes", model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{action}_{model}",
        defaults={"name": f"Can {action} {model}"},
    )
    return permission


def review_question_changes(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    publisher, _ = Group.objects.get_or_create(name="Publisher")
    for model, actions in PUBLISHER_GRANTS.items():
        for action in actions:
            publisher.permissions.add(permission(apps, model, action))
    editor = Group.objects.filter(name="NGO editor").first()
    if editor is not None:
        for model, actions in EDITOR_REVOKES.items():
            for action in actions:
                editor.permissions.remove(permission(apps, model, action))


def undo(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editor = Group.objects.filter(name="NGO editor").first()
    if editor is not None:
        for model, actions in EDITOR_REVOKES.items():
            for action in actions:
                editor.permissions.add(permission(apps, model, action))


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0003_question_drafts_and_category_course")]

    operations = [migrations.RunPython(review_question_changes, undo)]
