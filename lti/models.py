import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from lti_tool.models import LtiContext, LtiRegistration, LtiResourceLink, LtiUser

from accounts.models import Organisation


class PlatformRegistration(models.Model):
    """A virtual learning environment (Moodle, Totara, Canvas) that an organisation's
    learners come from: what the platform's administrator gave us, kept in django-lti's
    registration, and what Recognise allows it."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="lti_platforms",
    )
    registration = models.OneToOneField(
        LtiRegistration,
        verbose_name=_("LTI registration"),
        on_delete=models.CASCADE,
        related_name="platform",
    )
    allow_framing = models.BooleanField(
        _("allow the platform to frame launches"),
        default=False,
        help_text=_(
            "Off: launches open in a new window. On: the platform's own address may show "
            "the LTI launch pages inside its page (nothing else on the site)."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("LTI platform")
        verbose_name_plural = _("LTI platforms")
        ordering = ["organisation__name", "pk"]

    def __str__(self):
        return f"{self.organisation} ({self.registration.issuer})"

    @property
    def platform_origin(self):
        """The scheme and host of the platform's sign-in address, allowed to frame the
        launch pages when framing is on."""
        url = self.registration.auth_url or self.registration.issuer
        scheme, _sep, rest = url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}" if rest else ""


class CourseLink(models.Model):
    """Which Recognise course a platform's resource link opens, set by deep linking
    (or by the `course` custom parameter)."""

    resource_link = models.OneToOneField(
        LtiResourceLink,
        verbose_name=_("resource link"),
        on_delete=models.CASCADE,
        related_name="course_link",
    )
    course = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Where the platform keeps this link's grades (the AGS claim's lineitem).
    lineitem_url = models.URLField(_("line item"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("course link")
        verbose_name_plural = _("course links")

    def __str__(self):
        return f"{self.resource_link} → {self.course_id}"


class GradeDelivery(models.Model):
    """One score on its way to a platform's line item (an outbox): kept until the
    platform has it, and retried with growing waits while it is unreachable."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Given up")

    lti_user = models.ForeignKey(
        LtiUser, verbose_name=_("LTI user"), on_delete=models.CASCADE, related_name="+"
    )
    # Whom the score is about, so erasing an account removes its scores too.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    lineitem_url = models.URLField(_("line item"), max_length=500)
    score = models.JSONField(_("score"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tries"), default=0)
    next_attempt_at = models.DateTimeField(_("next try"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("grade delivery")
        verbose_name_plural = _("grade deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.lineitem_url} for {self.learner_id}"


class RosterImport(models.Model):
    """A trainer's request to fill a cohort from a platform course's roster (NRPS),
    done by a background task."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Reading the roster")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class CutShort(models.TextChoices):
        """Why reading stopped before the roster's last page (lti.services.roster)."""

        REPEATED_PAGE = "repeated_page", _("The platform sent a page already read")
        TOO_MANY_MEMBERS = "too_many_members", _("The roster has too many members")
        TOO_MANY_PAGES = "too_many_pages", _("The roster has too many pages")

    class Failure(models.TextChoices):
        PLATFORM = "platform", _("The platform could not be reached")
        ACCOUNTS_CHANGED = "accounts_changed", _("Accounts changed during the import")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    context = models.ForeignKey(
        LtiContext, verbose_name=_("platform course"), on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort", verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    read = models.PositiveIntegerField(_("members read"), default=0)
    learners = models.PositiveIntegerField(_("learners found"), default=0)
    added = models.PositiveIntegerField(_("added"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    cut_short = models.CharField(
        _("cut short"), max_length=20, choices=CutShort.choices, blank=True
    )
    failure = models.CharField(_("failure"), max_length=20, choices=Failure.choices, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self):
        return str(self.uuid)

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
