"""Audit events from signals: sign-ins, password and MFA changes, roles and organisation
memberships."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from .models import Action
from .records import current_request, is_quiet_about, record, user_label

User = get_user_model()

# What people type into the sign-in form's identity field, whichever backend asked.
IDENTITY_KEYS = ("email", "login", "username")


# Signing in --------------------------------------------------------------------

# Stored messages are in one language, whatever the language of the page.
AUTHENTICATOR_KINDS = {
    "totp": "authenticator app",
    "recovery_codes": "recovery codes",
    "webauthn": "security key",
}


def authenticator_kind(authenticator):
    kind = getattr(authenticator, "type", None)
    return AUTHENTICATOR_KINDS.get(kind, kind or "unknown method")


@receiver(user_logged_in, dispatch_uid="audit.sign_in")
def signed_in(sender, request, user, **kwargs):
    record(Action.SIGN_IN, "Signed in", actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    typed = next((credentials[key] for key in IDENTITY_KEYS if credentials.get(key)), "")
    typed = str(typed)[:254]
    record(
        Action.SIGN_IN_FAILED,
        f"Sign-in failed for “{typed}”",
        actor=None,
        actor_label=typed or "(nothing typed)",
        request=request,
    )


@receiver(mfa_signals.authentication_failed, dispatch_uid="audit.mfa_failed")
def mfa_failed(sender, request, user, authenticator=None, **kwargs):
    record(
        Action.MFA_FAILED,
        f"Two-factor code rejected ({authenticator_kind(authenticator)})",
        actor=user,
        request=request,
    )


@receiver(account_signals.user_signed_up, dispatch_uid="audit.signed_up")
def signed_up(sender, request, user, **kwargs):
    record(Action.SIGNED_UP, "Account created", actor=user, request=request)


# Passwords ----------------------------------------------------------------------


@receiver(post_save, sender=User, dispatch_uid="audit.password_saved")
def password_saved(sender, instance, created, raw=False, **kwargs):
    """One entry for every password change, whatever made it: allauth's change, set and
    reset forms, the admin's user form, `manage.py changepassword` or a script's
    set_password() and save(). Django's user keeps the new password in `_password`
    from set_password() until the save that stores it has run (and not when it only
    upgrades a hash at sign-in), so this sees each change once, as it is saved."""
    if raw or created or getattr(instance, "_password", None) is None:
        return
    if is_quiet_about(instance.pk):
        return
    request = current_request()
    user = getattr(request, "user", None)
    acting = user if user is not None and user.is_authenticated else None
    if acting is not None and acting.pk == instance.pk:
        message, actor = "Password changed", instance
    elif acting is not None:
        message, actor = f"Password of {user_label(instance)} changed", acting
    elif request is not None:
        # Nobody signed in can change a password but its owner, with a reset link.
        message, actor = "Password reset by email link", instance
    else:
        message, actor = f"Password of {user_label(instance)} changed", None
    record(Action.PASSWORD_CHANGED, message, actor=actor, data={"user_id": instance.pk})


# Two-factor authentication -----------------------------------------------------


@receiver(mfa_signals.authenticator_added, dispatch_uid="audit.mfa_added")
def mfa_added(sender, request, user, authenticator=None, **kwargs):
    record(
        Action.MFA_ADDED,
        f"Added {authenticator_kind(authenticator)}",
        actor=user,
        request=request,
    )


@receiver(mfa_signals.authenticator_removed, dispatch_uid="audit.mfa_removed")
def mfa_removed(sender, request, user, authenticator=None, **kwargs):
    record(
        Action.MFA_REMOVED,
        f"Removed {authenticator_kind(authenticator)}",
        actor=user,
        request=request,
    )


@receiver(mfa_signals.authenticator_reset, dispatch_uid="audit.mfa_reset")
def mfa_reset(sender, request, user, authenticator=None, **kwargs):
    record(
        Action.MFA_RESET,
        f"Reset {authenticator_kind(authenticator)}",
        actor=user,
        request=request,
    )


# Roles (groups and the administrator flag) ----------------------------------------


def role_changed(user, role, added):
    if is_quiet_about(user.pk):
        return
    record(
        Action.ROLE_ADDED if added else Action.ROLE_REMOVED,
        f"{user_label(user)} {'given' if added else 'no longer has'} role “{role}”",
        data={"user_id": user.pk, "role": role},
    )


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit.groups")
def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":
        # A clear says nothing about what went, so note it before it goes.
        if reverse:
            instance._audit_cleared = list(instance.user_set.all())
        else:
            instance._audit_cleared = list(instance.groups.all())
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    added = action == "post_add"
    if action == "post_clear":
        others = getattr(instance, "_audit_cleared", [])
        instance._audit_cleared = []
    elif reverse:
        others = list(User.objects.filter(pk__in=pk_set or ()))
    else:
        others = list(Group.objects.filter(pk__in=pk_set or ()))
    for other in others:
        user, group = (other, instance) if reverse else (instance, other)
        role_changed(user, group.name, added)


# Account flags that act as roles: administrators have every right, staff must use MFA.
FLAG_ROLES = {"is_superuser": "Administrator", "is_staff": "Staff"}


@receiver(pre_save, sender=User, dispatch_uid="audit.user_flags_before")
def note_user_flags(sender, instance, update_fields=None, raw=False, **kwargs):
    watched = [
        flag for flag in FLAG_ROLES if update_fields is None or flag in (update_fields or ())
    ]
    instance._audit_flags_before = None
    if raw or instance.pk is None or not watched:
        return
    instance._audit_flags_before = User.objects.filter(pk=instance.pk).values(*watched).first()


@receiver(post_save, sender=User, dispatch_uid="audit.user_flags_after")
def user_flags_changed(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_audit_flags_before", None)
    for flag, role in FLAG_ROLES.items():
        now = getattr(instance, flag)
        if created and now:
            role_changed(instance, role, True)
        elif before is not None and flag in before and before[flag] != now:
            role_changed(instance, role, now)
