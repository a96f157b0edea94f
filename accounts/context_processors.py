from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from .roles import roles_for


def roles(request):
    """The signed-in user's roles, for navigation that shows only what they can use.

    A request refused before authentication (a 400 for a malformed request) has no
    user yet; its page shows the menu of someone not signed in."""
    return {"user_roles": roles_for(getattr(request, "user", None) or AnonymousUser())}


def help_contact(request):
    """Where to write for help with an account, for account pages and emails."""
    return {"help_contact_email": settings.HELP_CONTACT_EMAIL}
