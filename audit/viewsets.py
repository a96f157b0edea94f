"""The audit log in the Wagtail admin: read-only, for superusers only."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from core.search_terms import without_control_characters
from core.strict_parsing import ascii_int

from .models import Action, AuditEvent


class SuperusersReadOnlyPolicy(BasePermissionPolicy):
    """Superusers may read the log; nobody, superusers included, may add, change or
    delete an entry through the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return "view" in actions and user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True, is_superuser=True)
        return users if "view" in actions else users.none()


class AuditEventFilterSet(WagtailFilterSet):
    action = django_filters.MultipleChoiceFilter(
        label=_("Action"), choices=Action.choices, widget=forms.CheckboxSelectMultiple
    )
    user = django_filters.CharFilter(
        label=_("User"),
        method="filter_user",
        help_text=_("Part of a name or email address, or an account number."),
    )
    timestamp = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    ip_address = django_filters.CharFilter(label=_("IP address"), lookup_expr="exact")

    class Meta:
        model = AuditEvent
        fields = []

    def filter_user(self, queryset, name, value):
        value = without_control_characters(value).strip()
        if not value:
            return queryset
        # The label outlives the account, so deleted users can still be found by name.
        match = Q(actor_label__icontains=value)
        actor_id = ascii_int(value)
        if actor_id is not None:
            match |= Q(actor_id=actor_id)
        return queryset.filter(match)


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    icon = "list-ul"
    menu_label = _("Audit log")
    menu_name = "audit-log"
    menu_order = 900
    # Under Reports, next to Wagtail's own site history.
    menu_hook = "register_reports_menu_item"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    list_display = ["timestamp", "action", "actor_label", "message", "ip_address"]
    filterset_class = AuditEventFilterSet
    search_fields = ["actor_label", "message"]
    search_backend_name = None
    inspect_view_fields = [
        "timestamp",
        "action",
        "actor_label",
        "actor",
        "message",
        "ip_address",
        "data",
    ]
    form_fields = []

    def get_permissions_to_register(self):
        # No Django permissions exist for the log, so groups can never be given it.
        return super().get_permissions_to_register().none()
