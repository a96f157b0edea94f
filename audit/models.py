from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What happened. The codes are stored; the labels are what superusers read."""

    SIGN_IN = "auth.sign_in", _("Signed in")
    SIGN_IN_FAILED = "auth.sign_in_failed", _("Sign-in failed")
    MFA_FAILED = "auth.mfa_failed", _("Two-factor code rejected")
    SIGNED_UP = "auth.signed_up", _("Account created")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    MFA_ADDED = "mfa.added", _("Two-factor method added")
    MFA_REMOVED = "mfa.removed", _("Two-factor method removed")
    MFA_RESET = "mfa.reset", _("Recovery codes reset")
    ROLE_ADDED = "role.added", _("Role given")
    ROLE_REMOVED = "role.removed", _("Role taken away")
    MEMBERSHIP_ADDED = "membership.added", _("Joined organisation")
    MEMBERSHIP_CHANGED = "membership.changed", _("Organisation membership changed")
    MEMBERSHIP_REMOVED = "membership.removed", _("Left organisation")
    STAFF_NUMBER_CHANGED = "membership.staff_number", _("Staff number changed")
    CERTIFICATE_ISSUED = "certificate.issued", _("Certificate issued")
    CERTIFICATE_REVOKED = "certificate.revoked", _("Certificate revoked")
    COHORT_EXPORTED = "cohort.exported", _("Cohort exported")
    INVITATION_CREATED = "invitation.created", _("Invitation created")
    INVITATION_SENT = "invitation.sent", _("Invitation sent")
    INVITATION_ACCEPTED = "invitation.accepted", _("Invitation accepted")
    ADJUSTMENT_SET = "adjustment.set", _("Time adjustment set")
    ADJUSTMENT_CHANGED = "adjustment.changed", _("Time adjustment changed")
    ADJUSTMENT_REMOVED = "adjustment.removed", _("Time adjustment removed")
    COHORT_MEMBER_REMOVED = "cohort.member_removed", _("Learner removed from cohort")
    COHORT_RENAMED = "cohort.renamed", _("Cohort renamed")
    COHORT_ARCHIVED = "cohort.archived", _("Cohort archived")
    COHORT_UNARCHIVED = "cohort.unarchived", _("Cohort unarchived")
    ASSIGNMENT_DUE_DATE_CHANGED = "assignment.due_date_changed", _("Due date changed")
    ASSIGNMENT_CANCELLED = "assignment.cancelled", _("Assignment cancelled")
    INVITATION_WITHDRAWN = "invitation.withdrawn", _("Invitation withdrawn")
    LEARNERS_NUDGED = "assignment.nudged", _("Learners nudged")
    DATA_EXPORTED = "account.data_exported", _("Personal data downloaded")
    ACCOUNT_DELETED = "account.deleted", _("Account deleted")
    API_TOKEN_CREATED = "api_token.created", _("API token created")
    API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
    API_TOKEN_USED = "api_token.used", _("Reporting API used")
    LTI_SIGNED_IN = "lti.signed_in", _("Signed in from a learning platform")
    LTI_ACCOUNT_LINKED = "lti.account_linked", _("Linked to a learning platform")
    LTI_LAUNCH_REFUSED = "lti.launch_refused", _("Learning platform launch refused")
    SSO_REFUSED = "sso.refused", _("Single sign-on refused")
    SSO_CONNECTED = "sso.connected", _("Single sign-on connected")
    SSO_DISCONNECTED = "sso.disconnected", _("Single sign-on disconnected")


class AuditEvent(models.Model):
    """One event, kept as it was: the actor's label stays when their account goes.

    Everything a person could have typed is cleaned before it is stored (see
    audit.records.clean), so no entry can pretend to be two.
    """

    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("who"), max_length=300)
    message = models.CharField(_("what"), max_length=500)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-timestamp", "-pk"]
        indexes = [models.Index(fields=["actor", "-timestamp"])]
        # Nobody is given rights over it: only superusers read it, and nobody edits it.
        default_permissions = ()

    def __str__(self):
        return f"{self.get_action_display()}: {self.message}"
