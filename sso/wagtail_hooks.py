from wagtail import hooks
from wagtail.permissions import register_permission_policy

from accounts.admin_permissions import SuperusersOnlyPolicy

from .models import OrganisationSignIn
from .viewsets import OrganisationSignInViewSet

# Registered before the viewset asks for a policy, so no model-permission fallback is made.
register_permission_policy(OrganisationSignIn, SuperusersOnlyPolicy(OrganisationSignIn))


@hooks.register("register_admin_viewset")
def register_organisation_sign_in_viewset():
    return OrganisationSignInViewSet("organisation_sign_ins")
