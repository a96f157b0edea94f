from .roles import roles_for


def roles(request):
    """The signed-in user's roles, for navigation that shows only what they can use."""
    return {"user_roles": roles_for(request.user)}
