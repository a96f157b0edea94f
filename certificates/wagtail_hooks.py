from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from courses.models import CoursePage

from . import admin_views, significant_change_views
from .models import Certificate


class IssuedOnlyPolicy(ModelPermissionPolicy):
    """Nobody adds or copies a certificate by hand, superusers included: a certificate
    is issued for a completed enrolment, which a form cannot supply."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


class CertificateViewSet(ModelViewSet):
    """Certificates are issued by the platform; the admin can look them up and revoke."""

    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 300
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = ["course_title", "holder_name", "completed_on", "expires_on", "revoked_at"]
    list_filter = ["completed_on", "expires_on"]
    search_fields = ["holder_name", "course_title", "code"]
    inspect_view_fields = [
        "holder_name",
        "course_title",
        "sectors",
        "cpd_hours",
        "completed_on",
        "expires_on",
        "issuer_name",
        "code",
        "issued_at",
        "revoked_at",
        "revoked_reason",
    ]
    # Certificates are never created or edited by hand.
    form_fields = ["revoked_reason"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<str:pk>/revoke/", admin_views.revoke, name="revoke"),
        ]


register_permission_policy(Certificate, IssuedOnlyPolicy(Certificate))
certificate_viewset = CertificateViewSet("issued_certificates")


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return certificate_viewset


@hooks.register("register_admin_urls")
def register_significant_change_urls():
    return [
        path(
            "courses/<int:course_id>/significant-change/",
            significant_change_views.mark,
            name="certificates_significant_change",
        )
    ]


def publishable_course(page, user):
    """The course the page is or is in, when the user may publish it."""
    course = (
        page.specific
        if issubclass(page.specific_class or object, CoursePage)
        else CoursePage.objects.ancestor_of(page).first()
    )
    if course is not None and course.permissions_for_user(user).can_publish():
        return course
    return None


@hooks.register("after_publish_page")
def offer_to_mark_significant_change(request, page):
    """Right after publishing, offer to tell certificate holders what changed."""
    course = publishable_course(page, request.user)
    if course is not None:
        messages.info(
            request,
            _("Does this change matter to people who already hold a certificate?"),
            buttons=[
                messages.button(
                    reverse("certificates_significant_change", args=[course.pk]),
                    _("Mark a significant change"),
                )
            ],
        )


@hooks.register("register_page_header_buttons")
def significant_change_button(page, user, view_name, next_url=None):
    """The header menu of a course, and of the pages in it, offers to mark a
    significant change to those who may publish the course."""
    course = publishable_course(page, user)
    if course is not None:
        yield Button(
            _("Mark a significant change"),
            reverse("certificates_significant_change", args=[course.pk]),
            icon_name="warning",
            priority=90,
        )
