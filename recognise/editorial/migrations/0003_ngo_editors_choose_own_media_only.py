"""NGO editors choose images (and documents) only from their organisation's collection.

Wagtail's own migrations give every group that may use the admin the right to choose
images and documents in the root collection, which reaches every NGO's collection: an
NGO's editors could see and use other NGOs' uploads. The NGO editor role loses that
right; each NGO's editors' group keeps its own collection (see ngo_access.py).
Safeguarding reviewers and publishers work across every organisation and keep it.
"""

from django.db import migrations

ROLE = "NGO editor"
CHOOSE = [("wagtailimages", "image", "choose_image"), ("wagtaildocs", "document", "choose_document")]


def remove_root_choose(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    group = Group.objects.filter(name=ROLE).first()
    if group is None:
        return
    permissions = Permission.objects.filter(
        content_type__app_label__in=[app for app, _model, _codename in CHOOSE],
        codename__in=[codename for _app, _model, codename in CHOOSE],
    )
    group.permissions.remove(*permissions)
    GroupCollectionPermission.objects.filter(
        group=group, collection__in=Collection.objects.filter(depth=1), permission__in=permissions
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0002_review_workflow_and_permissions"),
        ("accounts", "0002_create_role_groups"),
        ("wagtailimages", "0023_add_choose_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(remove_root_choose, migrations.RunPython.noop)]
