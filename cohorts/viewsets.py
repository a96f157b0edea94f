"""Invitations outside organisations' verified email domains, listed in the Wagtail admin
under Reports for administrators (superusers), read-only."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.models import Organisation

from .models import OutsideInvitation


class OutsideInvitationFilterSet(WagtailFilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        field_name="cohort__organisation",
        queryset=Organisation.objects.all(),
    )
    invited_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)

    class Meta:
        model = OutsideInvitation
        fields = []


class OutsideInvitationViewSet(ModelViewSet):
    model = OutsideInvitation
    icon = "mail"
    menu_label = _("Invitations outside verified domains")
    menu_name = "outside-invitations"
    menu_order = 910
    # Under Reports, next to the audit log.
    menu_hook = "register_reports_menu_item"
    inspect_view_enabled = False
    copy_view_enabled = False
    list_per_page = 50
    list_display = [
        "invited_at",
        "invited_by",
        Column("organisation", label=_("Organisation"), accessor="cohort.organisation"),
        "cohort",
        "email",
    ]
    filterset_class = OutsideInvitationFilterSet
    search_fields = ["email"]
    search_backend_name = None
    form_fields = []

    def get_permissions_to_register(self):
        # No Django permissions exist for the list, so groups can never be given it.
        return super().get_permissions_to_register().none()
