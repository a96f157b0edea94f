"""What follows a change to accounts: forget what is kept in the cache about users (their
row, their group names, whether they have a second factor); count a first authenticator,
set up in a session, as that session's second factor; sign out everywhere; record
memberships in the audit log; forget kept pages that name an organisation."""

from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from audit.models import Action
from audit.records import is_quiet_about, record, user_label
from core import cache_versions
from core.page_cache import forget_all_pages

from .backends import user_version
from .mfa import authenticators_version, record_first_second_factor
from .models import Membership, Organisation, User
from .roles import ALL_GROUPS_VERSION, user_groups_version
from .signing_out import end_all_sessions

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


# Signing out everywhere ---------------------------------------------------------------


@receiver(user_logged_out, dispatch_uid="recognise-sign-out-everywhere")
def sign_out_everywhere(sender, request, user, **kwargs):
    """A practitioner who signs out on a shared computer is signed out on every device."""
    if user is not None:
        end_all_sessions(user.pk)


@receiver(post_save, sender=User, dispatch_uid="recognise-end-deactivated-sessions")
def end_sessions_of_deactivated_user(sender, instance, **kwargs):
    if not instance.is_active:
        end_all_sessions(instance.pk)


# Organisation memberships ------------------------------------------------------------


def membership_message(membership, verb):
    return f"{user_label(membership.user)} {verb} “{membership.organisation}”"


@receiver(post_save, sender=Membership, dispatch_uid="accounts.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="accounts.membership_deleted")
def membership_changed(sender, instance, **kwargs):
    # What is kept about a user's account includes their staff numbers (the trainers'
    # compliance rows), so a membership's change is a change to the account's version.
    cache_versions.changed(user_version(instance.user_id))


@receiver(post_save, sender=Membership, dispatch_uid="audit.membership_saved")
def membership_saved(sender, instance, created, raw=False, **kwargs):
    if raw or is_quiet_about(instance.user_id):
        return
    record(
        Action.MEMBERSHIP_ADDED if created else Action.MEMBERSHIP_CHANGED,
        membership_message(instance, "joined" if created else "membership changed in"),
        data={"user_id": instance.user_id, "organisation_id": instance.organisation_id},
    )


@receiver(post_delete, sender=Membership, dispatch_uid="audit.membership_deleted")
def membership_deleted(sender, instance, **kwargs):
    if is_quiet_about(instance.user_id):
        return
    record(
        Action.MEMBERSHIP_REMOVED,
        membership_message(instance, "left"),
        data={"user_id": instance.user_id, "organisation_id": instance.organisation_id},
    )


@receiver(post_save, sender=Organisation, dispatch_uid="page-cache-organisation")
def organisation_saved(sender, **kwargs):
    # Guidance and course cards name their organisation.
    forget_all_pages()
