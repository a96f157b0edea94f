"""Questions and scenario stems go through the same review as pages.

Both snippet models get the "Safeguarding review and publication" workflow (created
here the same way as recognise/editorial's migration does, if that has not run yet):
safeguarding reviewers approve the review step, publishers the publication step.
NGO editors may propose scenario stems again (as drafts, for their own courses);
publishers may publish them. Existing stems stay live, each with a first revision, so
learners keep seeing them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone
from modelcluster.models import get_serializable_data_for_fields

WORKFLOW_NAME = "Safeguarding review and publication"
TASKS = [("Safeguarding review", "Safeguarding reviewer"), ("Publication approval", "Publisher")]
REVIEWED_MODELS = ["question", "scenariogroup"]
GRANTS = {
    "Publisher": {"question": ["lock", "unlock"], "scenariogroup": ["publish", "lock", "unlock"]},
    "NGO editor": {"scenariogroup": ["add", "change"]},
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


def review_workflow(apps):
    """The workflow, with its two steps, as the editorial migration makes it."""
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None:
        return workflow
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
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
    return workflow


def first_revisions(apps):
    """Each existing scenario group is live, its content kept as its first revision."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    ScenarioGroup = apps.get_model("quizzes", "ScenarioGroup")
    content_type, _ = ContentType.objects.get_or_create(app_label="quizzes", model="scenariogroup")
    now = timezone.now()
    for group in ScenarioGroup.objects.filter(latest_revision__isnull=True):
        revision = Revision.objects.create(
            content_type=content_type,
            base_content_type=content_type,
            object_id=str(group.pk),
            created_at=now,
            object_str=group.title,
            content=get_serializable_data_for_fields(group),
        )
        ScenarioGroup.objects.filter(pk=group.pk).update(
            live=True,
            has_unpublished_changes=False,
            latest_revision=revision,
            live_revision=revision,
            first_published_at=now,
            last_published_at=now,
        )


def review_snippets(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    workflow = review_workflow(apps)
    for model in REVIEWED_MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="quizzes", model=model)
        WorkflowContentType.objects.update_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )
    for group_name, grants in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, actions in grants.items():
            for action in actions:
                group.permissions.add(permission(apps, model, action))
    first_revisions(apps)


def undo(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    Group = apps.get_model("auth", "Group")
    WorkflowContentType.objects.filter(
        content_type__in=ContentType.objects.filter(
            app_label="quizzes", model__in=REVIEWED_MODELS
        )
    ).delete()
    editor = Group.objects.filter(name="NGO editor").first()
    if editor is not None:
        for action in GRANTS["NGO editor"]["scenariogroup"]:
            editor.permissions.remove(permission(apps, "scenariogroup", action))


class Migration(migrations.Migration):

    dependencies = [
        ('quizzes', '0007_pools_and_feedback'),
        ('wagtailcore', '0098_apitoken'),
        ('accounts', '0002_create_role_groups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='question',
            name='locked',
            field=models.BooleanField(default=False, editable=False, verbose_name='locked'),
        ),
        migrations.AddField(
            model_name='question',
            name='locked_at',
            field=models.DateTimeField(editable=False, null=True, verbose_name='locked at'),
        ),
        migrations.AddField(
            model_name='question',
            name='locked_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='locked_%(class)ss', to=settings.AUTH_USER_MODEL, verbose_name='locked by'),
        ),
        migrations.AddField(
            model_name='scenariogroup',
            name='expire_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='expiry date/time'),
        ),
        migrations.AddField(
            model_name='scenariogroup',
            name='expired',
            field=models.BooleanField(default=False, editable=False, verbose_name='expired'),
        ),
        migrations.AddField(
            model_name='scenariogroup',
            name='first_published_at',
            field=models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='first published at'),
        ),
        migrations.AddField(
            model_name='scenariogroup',
            name='go_live_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='go live date/time'),
        ),
        migrations.AddField(
            model_name='scenariogroup',
            name='has_unpublished_changes',
            field=models.BooleanField(default=False, editable=False, verbose_name='has unpublished changes'),
        ),
        migrations.AddField(
            model_name='scenariogroup',
            name='last_published_at',
            field=models.DateTimeField(editable=False, null=True, verbose_name='last published at'),
        ),
        migrations.AddField(
            model_name='scenariogroup',
            name='latest_revision',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='latest revision'),
        ),
        migrations.AddField(
            model_name='scenariogroup',
            name='live',
            field=models.BooleanField(default=True, editable=False, verbose_name='live'),
        ),
        migrations.AddField(
            model_name='scenariogroup',
            name='live_revision',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='live revision'),
        ),
        migrations.AddField(
            model_name='scenariogroup',
            name='locked',
            field=models.BooleanField(default=False, editable=False, verbose_name='locked'),
        ),
        migrations.AddField(
            model_name='scenariogroup',
            name='locked_at',
            field=models.DateTimeField(editable=False, null=True, verbose_name='locked at'),
        ),
        migrations.AddField(
            model_name='scenariogroup',
            name='locked_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='locked_%(class)ss', to=settings.AUTH_USER_MODEL, verbose_name='locked by'),
        ),
        migrations.RunPython(review_snippets, undo),
    ]
