"""Wagtail's workflow and site-history reports, without other organisations' proposals.

Wagtail shows the review and history of every question and scenario group to anyone
who may change some question. An NGO editor sees there, as in the question bank itself,
only those of the courses their organisation contributes to (question_access.py).
recognise/urls.py serves these views at the reports' own addresses.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.models import ModelLogEntry

from .models import Question, ScenarioGroup
from .question_access import is_scoped, questions_for


def others_proposals(user, type_field, id_field):
    """A condition matching the questions and scenario groups outside the user's
    courses (by content type and id, as Wagtail's generic records keep them), or None
    when the user may see them all."""
    hidden = None
    for model in (Question, ScenarioGroup):
        if not is_scoped(user, model._meta.model_name):
            continue
        own = (
            questions_for(user, model.objects.all())
            .annotate(key=Cast("pk", output_field=CharField()))
            .values("key")
        )
        condition = Q(**{type_field: ContentType.objects.get_for_model(model)}) & ~Q(
            **{f"{id_field}__in": own}
        )
        hidden = condition if hidden is None else hidden | condition
    return hidden


def without_others_proposals(queryset, user, type_field, id_field):
    hidden = others_proposals(user, type_field, id_field)
    return queryset if hidden is None else queryset.exclude(hidden)


class OwnWorkflowView(WorkflowView):
    def get_queryset(self):
        return without_others_proposals(
            super().get_queryset(), self.request.user, "base_content_type", "object_id"
        )


class OwnWorkflowTasksView(WorkflowTasksView):
    def get_queryset(self):
        return without_others_proposals(
            super().get_queryset(),
            self.request.user,
            "workflow_state__base_content_type",
            "workflow_state__object_id",
        )


class OwnLogEntriesView(LogEntriesView):
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.model is not ModelLogEntry:
            return queryset
        return without_others_proposals(queryset, self.request.user, "content_type", "object_id")


app_name = "review_reports"
urlpatterns = [
    path("workflow/", require_admin_access(OwnWorkflowView.as_view()), name="workflow"),
    path(
        "workflow/results/",
        require_admin_access(OwnWorkflowView.as_view(results_only=True)),
        name="workflow_results",
    ),
    path(
        "workflow_tasks/",
        require_admin_access(OwnWorkflowTasksView.as_view()),
        name="workflow_tasks",
    ),
    path(
        "workflow_tasks/results/",
        require_admin_access(OwnWorkflowTasksView.as_view(results_only=True)),
        name="workflow_tasks_results",
    ),
    path("site-history/", require_admin_access(OwnLogEntriesView.as_view()), name="site_history"),
    path(
        "site-history/results/",
        require_admin_access(OwnLogEntriesView.as_view(results_only=True)),
        name="site_history_results",
    ),
]
