"""The platform's roles, kept as Django groups so Wagtail's permissions apply to them."""

from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core import cache_versions

from .models import User

LEARNER = "Learner"
TRAINER = "Trainer"
NGO_EDITOR = "NGO editor"
SAFEGUARDING_REVIEWER = "Safeguarding reviewer"
PUBLISHER = "Publisher"

ALL_ROLES = [LEARNER, TRAINER, NGO_EDITOR, SAFEGUARDING_REVIEWER, PUBLISHER]

# Group names are data; these are the names people read.
ROLE_LABELS = {
    LEARNER: _("Learner"),
    TRAINER: _("Trainer"),
    NGO_EDITOR: _("NGO editor"),
    SAFEGUARDING_REVIEWER: _("Safeguarding reviewer"),
    PUBLISHER: _("Publisher"),
}

# Roles that act on other people's data or on published content: they must use MFA.
STAFF_ROLES = {TRAINER, NGO_EDITOR, SAFEGUARDING_REVIEWER, PUBLISHER}

# Roles that work in the Wagtail admin.
ADMIN_ROLES = {NGO_EDITOR, SAFEGUARDING_REVIEWER, PUBLISHER}


class UserRoles:
    """What one user may do, read once per request from their groups."""

    def __init__(self, user):
        self.user = user

    # Set directly when they come with the user (accounts.backends).
    @cached_property
    def names(self):
        if not self.user.is_authenticated:
            return frozenset()
        return kept_group_names(self.user)

    @property
    def labels(self):
        return [ROLE_LABELS[name] for name in ALL_ROLES if name in self.names]

    @property
    def is_trainer(self):
        return TRAINER in self.names

    @property
    def can_use_admin(self):
        if not self.user.is_authenticated:
            return False
        if not (self.user.is_superuser or self.user.is_staff or self.names & ADMIN_ROLES):
            # Only the admin roles' groups carry the admin permission (the role groups
            # migration); asking Django for a learner would cost two queries on every page.
            return False
        return self.user.has_perm("wagtailadmin.access_admin")

    @property
    def needs_mfa(self):
        """Staff accounts must have a second factor; learners may choose one."""
        if not self.user.is_authenticated:
            return False
        return bool(self.user.is_superuser or self.user.is_staff or (self.names & STAFF_ROLES))


# Every signed-in request asks for the user's groups (the idle limit depends on them), so
# they are kept in the cache under two versions: the user's own, changed when their
# groups change, and one for all users, changed when a group is renamed or deleted
# (receivers in accounts.signals). A change bites on the next request.
ALL_GROUPS_VERSION = "groups"
GROUP_NAMES_SECONDS = 3600


def user_groups_version(user_id):
    return f"groups:user:{user_id}"


def group_versions(user_id):
    """The versions a user's kept group names are kept under."""
    return [ALL_GROUPS_VERSION, user_groups_version(user_id)]


def group_names(user):
    return frozenset(user.groups.values_list("name", flat=True))


def staff_among(users):
    """The ids of those of these users who need a second factor (UserRoles.needs_mfa),
    in one query whatever their number."""
    ids = [user.pk for user in users]
    return set(
        User.objects.filter(pk__in=ids)
        .filter(Q(is_superuser=True) | Q(is_staff=True) | Q(groups__name__in=STAFF_ROLES))
        .values_list("pk", flat=True)
    )


def kept_group_names(user):
    return cache_versions.kept(
        f"group-names:{user.pk}",
        group_versions(user.pk),
        lambda: group_names(user),
        GROUP_NAMES_SECONDS,
    )


def roles_for(user):
    """The UserRoles of this user, cached on the user object for the request."""
    cached = getattr(user, "_recognise_roles", None)
    if cached is None:
        cached = UserRoles(user)
        # AnonymousUser allows attributes too; the cache lives as long as the request.
        user._recognise_roles = cached
    return cached


def menu_key(user):
    """Which menu a signed-in reader sees, for pages kept per reader variant
    (settings.PAGE_CACHE_MENU)."""
    roles = roles_for(user)
    return f"trainer={roles.is_trainer} admin={roles.can_use_admin}"
