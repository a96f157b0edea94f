from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import TimeAdjustment
from .viewsets import SuperusersOnlyPolicy, TimeAdjustmentViewSet

# Registered before the viewset asks for a policy, so no model-permission fallback is made.
register_permission_policy(TimeAdjustment, SuperusersOnlyPolicy(TimeAdjustment))


@hooks.register("register_admin_viewset")
def register_time_adjustment_viewset():
    return TimeAdjustmentViewSet("time_adjustments")
