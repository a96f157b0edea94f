"""Forget what is kept in the cache about users when it changes: their row
(recognise.accounts.backends), their group names (recognise.accounts.roles) and whether
they have a second factor (recognise.accounts.mfa); and count a first authenticator, set up
in a session, as that session's second factor."""

from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from recognise import cache_versions

from .backends import user_version
from .mfa import authenticators_version, record_first_second_factor
from .models import User
from .roles import ALL_GROUPS_VERSION, user_groups_version

MEMBERSHIP_CHANGES = {"post_add", "post_remove", "post_clear"}


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts.user_groups_changed")
def user_groups_changed(sender, instance, action, reverse, **kwargs):
    if action not in MEMBERSHIP_CHANGES:
        return
    if reverse:
        # Changed from the group's side (group.user_set): a clear names nobody, so
        # every user's names are counted again.
        cache_versions.changed(ALL_GROUPS_VERSION)
    else:
        cache_versions.changed(user_groups_version(instance.pk))


@receiver(post_save, sender=Group, dispatch_uid="accounts.group_saved")
@receiver(post_delete, sender=Group, dispatch_uid="accounts.group_deleted")
def group_changed(sender, instance, created=False, **kwargs):
    # A new group has no members yet; a renamed or deleted one changes its members' names.
    if not created:
        cache_versions.changed(ALL_GROUPS_VERSION)


@receiver(post_save, sender=Authenticator, dispatch_uid="accounts.authenticator_saved")
@receiver(post_delete, sender=Authenticator, dispatch_uid="accounts.authenticator_deleted")
def authenticators_changed(sender, instance, **kwargs):
    cache_versions.changed(authenticators_version(instance.user_id))


@receiver(mfa_signals.authenticator_added, dispatch_uid="accounts.authenticator_added")
def authenticator_added(sender, request, user, authenticator=None, **kwargs):
    if request is not None:
        record_first_second_factor(request, user, authenticator)


@receiver(post_save, sender=User, dispatch_uid="accounts.user_saved")
def user_saved(sender, instance, **kwargs):
    # A new account too: a session may name an id before the account has it.
    cache_versions.changed(user_version(instance.pk))


@receiver(post_delete, sender=User, dispatch_uid="accounts.user_deleted")
def user_deleted(sender, instance, **kwargs):
    # SQLite can give a deleted user's id to the next account: nothing kept for the
    # old one may be read for the new.
    cache_versions.changed(user_version(instance.pk))
    cache_versions.changed(user_groups_version(instance.pk))
    cache_versions.changed(authenticators_version(instance.pk))
