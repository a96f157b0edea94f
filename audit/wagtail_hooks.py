from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import AuditEvent
from .viewsets import AuditEventViewSet, SuperusersReadOnlyPolicy

# Registered before the viewset asks for a policy, so no model-permission fallback is made.
register_permission_policy(AuditEvent, SuperusersReadOnlyPolicy(AuditEvent))


@hooks.register("register_admin_viewset")
def register_audit_log_viewset():
    return AuditEventViewSet("audit_log")
