"""Publishers may look up and revoke certificates."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="certificates", model="certificate")
    publisher, _ = Group.objects.get_or_create(name="Publisher")
    for codename, name in [
        ("revoke_certificate", "Can revoke a certificate"),
        ("view_certificate", "Can view certificate"),
    ]:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        publisher.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("accounts", "0002_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
