from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views
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
