from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView

from .action_menu import put_next_step_first
from .avatars import avatar_data_url
from .editor_home import editor_home_panel
from .page_chooser import choosable_pages
from .review import content_due_for_review


class ReviewDueReport(ReportView):
    """Courses and guidance whose review date has passed or falls within 30 days."""

    page_title = _("Content due for review")
    header_icon = "date"
    index_url_name = "editorial_review_due"
    index_results_url_name = "editorial_review_due_results"
    results_template_name = "editorial/review_due_results.html"
    list_export = ["title", "next_review", "owner", "contributing_organisation"]
    export_headings = {
        "title": _("Page"),
        "next_review": _("Review due"),
        "owner": _("Owner"),
        "contributing_organisation": _("Organisation"),
    }

    def get_queryset(self):
        return content_due_for_review()


class ReviewReportMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return (
            user.is_superuser
            or user.groups.filter(name__in=["Safeguarding reviewer", "Publisher"]).exists()
        )


def can_see_review_report(user):
    return (
        user.is_superuser
        or user.groups.filter(name__in=["Safeguarding reviewer", "Publisher"]).exists()
    )


def review_report_view(request, *args, **kwargs):
    if not can_see_review_report(request.user):
        raise PermissionDenied
    view = ReviewDueReport.as_view(results_only=kwargs.pop("results_only", False))
    return view(request, *args, **kwargs)


@hooks.register("register_admin_urls")
def register_review_report_urls():
    return [
        path("reports/review-due/", review_report_view, name="editorial_review_due"),
        path(
            "reports/review-due/results/",
            review_report_view,
            {"results_only": True},
            name="editorial_review_due_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return ReviewReportMenuItem(
        _("Content due for review"), reverse("editorial_review_due"), icon_name="date", order=50
    )


# Wagtail's page chooser and its "move" confirmation show any page's title to anyone in
# the admin; an NGO's unpublished work is its own (see page_chooser.py).


@hooks.register("construct_page_chooser_queryset")
def offer_only_choosable_pages(pages, request):
    return choosable_pages(pages, request.user)


@hooks.register("before_move_page")
def refuse_moves_the_user_may_not_make(request, page, destination):
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("get_avatar_url")
def initials_avatar(user, size):
    # Log entries of the system (no user) keep Wagtail's plain local avatar.
    return avatar_data_url(user, size) if user is not None else None


@hooks.register("construct_page_action_menu")
def next_step_first(menu_items, request, context):
    put_next_step_first(menu_items, request, context)


@hooks.register("construct_homepage_panels")
def add_editor_home_panel(request, panels):
    panel = editor_home_panel(request.user)
    if panel is not None:
        panels.insert(0, panel)


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("editorial/admin.css"))
