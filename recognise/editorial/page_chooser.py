"""What Wagtail's page chooser may offer and name to each person.

Wagtail lets anyone in the admin browse every page in the chooser and look up any page's
title by its id. Here an NGO's unpublished work is its own: people are offered published
pages and the pages they may edit. A published page whose new title is still waiting
for review is left out for everyone else until the change is published.
"""

from django.db.models import F, Q
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import ChosenMultipleView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from core.strict_parsing import ascii_int


def choosable_pages(pages, user):
    if user.is_superuser:
        return pages
    editable = (
        PagePermissionPolicy()
        .instances_user_has_any_permission_for(user, {"add", "change", "publish"})
        .values_list("id", flat=True)
    )
    retitled = list(
        Page.objects.filter(live=True, has_unpublished_changes=True)
        .exclude(draft_title=F("title"))
        .exclude(id__in=editable)
        .values_list("id", flat=True)
    )
    return pages.filter(Q(live=True) | Q(id__in=editable)).exclude(id__in=retitled)


@require_admin_access
def chosen_pages(request):
    """Wagtail's answer naming the pages chosen by id, for choosable pages only."""
    asked = [ascii_int(value) for value in request.GET.getlist("id")]
    asked = [pk for pk in asked if pk is not None]
    offered = choosable_pages(Page.objects.filter(id__in=asked), request.user)
    request.GET = request.GET.copy()
    request.GET.setlist("id", [str(pk) for pk in offered.values_list("id", flat=True)])
    return ChosenMultipleView.as_view()(request)
