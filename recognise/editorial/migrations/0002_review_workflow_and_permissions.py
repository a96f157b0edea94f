"""Nothing goes live without safeguarding review and publication approval.

Creates the two-step workflow (reviewers, then publishers) on the home page, so it
covers the guidance library and every course, and gives publishers the right to
publish anywhere on the site. NGO editors get page rights per organisation (see
recognise/editorial/ngo_access.py); reviewers act through the workflow.
"""

from django.db import migrations

WORKFLOW_NAME = "Safeguarding review and publication"
TASKS = [("Safeguarding review", "Safeguarding reviewer"), ("Publication approval", "Publisher")]
PUBLISHER_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]


def create_workflow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    for order, (task_name, group_name) in enumerate(TASKS):
        group, _ = Group.objects.get_or_create(name=group_name)
        task = GroupApprovalTask.objects.filter(name=task_name).first()
        if task is None:
            task = GroupApprovalTask.objects.create(
                name=task_name, active=True, content_type=task_type
            )
        task.groups.set([group])
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task_id=task.pk, defaults={"sort_order": order}
        )

    home = Page.objects.filter(depth=2).order_by("path").first()
    if home is not None:
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
        page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
        publisher = Group.objects.get(name="Publisher")
        for codename in PUBLISHER_PAGE_PERMISSIONS:
            permission, _ = Permission.objects.get_or_create(
                content_type=page_type, codename=codename, defaults={"name": codename}
            )
            GroupPagePermission.objects.get_or_create(
                group=publisher, page=home, permission=permission
            )


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("accounts", "0002_create_role_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
