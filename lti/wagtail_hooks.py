from wagtail import hooks
from wagtail.permissions import register_permission_policy

from accounts.admin_permissions import SuperusersOnlyPolicy

from .models import PlatformRegistration
from .viewsets import PlatformRegistrationViewSet

# Registered before the viewset asks for a policy, so no model-permission fallback is made.
register_permission_policy(PlatformRegistration, SuperusersOnlyPolicy(PlatformRegistration))


@hooks.register("register_admin_viewset")
def register_platform_registration_viewset():
    return PlatformRegistrationViewSet("lti_platforms")
