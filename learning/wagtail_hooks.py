from wagtail import hooks
from wagtail.permissions import register_permission_policy

from accounts.admin_permissions import SuperusersOnlyPolicy

from .models import TimeAdjustment
from .viewsets import TimeAdjustmentViewSet

# Registered before the viewset asks for a policy, so no model-permission fallback is made.
register_permission_policy(TimeAdjustment, SuperusersOnlyPolicy(TimeAdjustment))


@hooks.register("register_admin_viewset")
def register_time_adjustment_viewset():
    return TimeAdjustmentViewSet("time_adjustments")
