"""The admin dashboard as an NGO editor meets it: one step to start a guidance page for
their organisation, and where each of their pages stands in the safeguarding review."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.models import Locale, Page, WorkflowState

from accounts.roles import NGO_EDITOR
from guidance.models import GuidancePage, GuidanceSectionPage

# The editor's most recently changed pages are listed; older work is in the page explorer.
LISTED_PAGES = 20


def guidance_sections_for(user):
    # Editors write in English; a section's Welsh translation is not where they start pages.
    return GuidanceSectionPage.objects.filter(
        organisation__memberships__user=user, locale=Locale.get_default()
    ).select_related("organisation")


def pages_by_review_stage(user):
    """The editor's own guidance: drafts not yet sent, sent for review, changes asked for."""
    pages = list(
        GuidancePage.objects.filter(owner=user)
        .order_by("-latest_revision_created_at")
        .only("title", "live", "has_unpublished_changes", "latest_revision_created_at")[
            :LISTED_PAGES
        ]
    )
    states = dict(
        WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(page.pk) for page in pages],
            status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES],
        ).values_list("object_id", "status")
    )
    stages = {"drafts": [], "in_review": [], "changes_requested": []}
    for page in pages:
        status = states.get(str(page.pk))
        if status == WorkflowState.STATUS_IN_PROGRESS:
            stages["in_review"].append(page)
        elif status == WorkflowState.STATUS_NEEDS_CHANGES:
            stages["changes_requested"].append(page)
        elif not page.live or page.has_unpublished_changes:
            stages["drafts"].append(page)
    return stages


class EditorHomePanel(Component):
    template_name = "editorial/editor_home_panel.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        sections = [
            {
                "organisation": section.organisation,
                "add_url": reverse(
                    "wagtailadmin_pages:add", args=["guidance", "guidancepage", section.pk]
                ),
            }
            for section in guidance_sections_for(self.user)
        ]
        return {"sections": sections, **pages_by_review_stage(self.user)}


def editor_home_panel(user):
    """The panel for an NGO editor, or None for anyone else."""
    if user.is_superuser or not user.groups.filter(name=NGO_EDITOR).exists():
        return None
    return EditorHomePanel(user)
