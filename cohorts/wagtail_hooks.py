from wagtail import hooks
from wagtail.permissions import register_permission_policy

from audit.viewsets import SuperusersReadOnlyPolicy

from .models import OutsideInvitation
from .viewsets import OutsideInvitationViewSet

# Registered before the viewset asks for a policy, so no model-permission fallback is made.
register_permission_policy(OutsideInvitation, SuperusersReadOnlyPolicy(OutsideInvitation))


@hooks.register("register_admin_viewset")
def register_outside_invitation_viewset():
    return OutsideInvitationViewSet("outside_invitations")
