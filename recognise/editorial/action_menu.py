"""The page editor's action menu in the project's words and order.

Wagtail makes "Save draft" the main button and puts the workflow under "More actions",
labelled with the workflow's full name. An NGO editor's next step, once a page is saved,
is to send it for safeguarding review, and a reviewer's is to approve it: those become
the main button.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.action_menu import SubmitForModerationMenuItem


class SubmitForSafeguardingReviewMenuItem(SubmitForModerationMenuItem):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        state = context["page"].current_workflow_state if context.get("page") else None
        if state and state.status == state.STATUS_NEEDS_CHANGES:
            context["label"] = _("Resubmit for safeguarding review")
        else:
            context["label"] = _("Submit for safeguarding review")
        return context


def put_next_step_first(menu_items, request, context):
    for index, item in enumerate(menu_items):
        if isinstance(item, SubmitForModerationMenuItem):
            replacement = SubmitForSafeguardingReviewMenuItem(order=item.order)
            menu_items[index] = replacement
    if context.get("view") != "edit":
        # A new page is saved first: the review needs something to review.
        return
    for name in ("approve", "action-submit"):
        found = next((item for item in menu_items if item.name == name), None)
        if found is not None:
            menu_items.remove(found)
            menu_items.insert(0, found)
            return
