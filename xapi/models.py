import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


class LearningRecordStore(models.Model):
    """Where an organisation's Learning Record Store takes xAPI statements about its
    learners. One per organisation; none means nothing is sent."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="learning_record_store",
    )
    endpoint = models.URLField(
        _("xAPI endpoint"),
        max_length=500,
        help_text=_(
            "The LRS's xAPI base address, ending before /statements, for example "
            "https://lrs.example.org/xAPI/"
        ),
    )
    key = models.CharField(_("key (username)"), max_length=200)
    secret = models.CharField(_("secret (password)"), max_length=500)
    enabled = models.BooleanField(
        _("send statements"),
        default=True,
        help_text=_("Untick to stop sending without losing the settings."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("Learning Record Store")
        verbose_name_plural = _("Learning Record Stores")
        ordering = ["organisation__name"]

    def __str__(self):
        return str(self.organisation)

    def clean(self):
        # Checked here rather than by a field validator, so migrations never import it.
        super().clean()
        # The LRS gets learners' names and email addresses, so they travel encrypted;
        # plain http is allowed only on a developer's machine.
        if self.endpoint and not self.endpoint.startswith("https://") and not settings.DEBUG:
            raise ValidationError(
                {"endpoint": _("Enter an https:// address: statements name your learners.")}
            )

    @property
    def statements_url(self):
        return self.endpoint.rstrip("/") + "/statements"


class StatementDelivery(models.Model):
    """One statement on its way to one LRS (an outbox): kept until the LRS has it, and
    retried with growing waits while it is unreachable."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Given up")

    store = models.ForeignKey(
        LearningRecordStore,
        verbose_name=_("Learning Record Store"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    # Whom the statement is about, so erasing an account removes its statements too.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    statement_id = models.UUIDField(_("statement id"), unique=True, default=uuid.uuid4)
    statement = models.JSONField(_("statement"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tries"), default=0)
    next_attempt_at = models.DateTimeField(_("next try"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement delivery")
        verbose_name_plural = _("statement deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return str(self.statement_id)
