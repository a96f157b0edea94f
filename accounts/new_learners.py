"""Learner accounts made many at once (from a learning platform's roster), with what
making each one alone would have done: an unusable password, the name lists sort by,
the learner role, its audit entry and new cache versions for the account. A fixed
number of queries per thousand accounts, whatever their number."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from audit.models import Action
from audit.records import is_quiet_about, record_many, user_label
from core import cache_versions

from .backends import user_version
from .models import User
from .natural_names import natural_key
from .roles import LEARNER, user_groups_version

BATCH_SIZE = 1000


def create_learners(people):
    """Save a learner account for each (email, display name) pair and return them. The
    addresses are lowercased, distinct and used by no account (the caller checked)."""
    users = [
        User(
            email=email,
            display_name=name,
            natural_name=natural_key(name or email),
            password=make_password(None),
        )
        for email, name in people
    ]
    if not users:
        return []
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    learner = Group.objects.get(name=LEARNER)
    UserGroup = User.groups.through
    UserGroup.objects.bulk_create(
        [UserGroup(user_id=user.pk, group_id=learner.pk) for user in users],
        batch_size=BATCH_SIZE,
    )
    # What saving each account and adding its role would have done (accounts.receivers
    # and audit.receivers): nothing kept for these ids before may be read for them.
    cache_versions.changed_many(
        [name for user in users for name in (user_version(user.pk), user_groups_version(user.pk))]
    )
    record_many(
        (
            Action.ROLE_ADDED,
            f"{user_label(user)} given role “{LEARNER}”",
            {"user_id": user.pk, "role": LEARNER},
        )
        for user in users
        if not is_quiet_about(user.pk)
    )
    return users
