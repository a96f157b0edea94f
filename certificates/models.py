import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import certificate_storage

# Verification codes: 16 characters from a 31-character alphabet without look-alikes
# (0/O, 1/I/L) give over 79 bits of randomness, shown in four groups of four.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16

# Fields fixed when a certificate is issued; nothing may change them afterwards.
FROZEN_FIELDS = (
    "holder_name",
    "course_title",
    "sectors",
    "cpd_hours",
    "completed_on",
    "expires_on",
    "issuer_name",
    "code",
    "status_index",
)


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code):
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(text):
    """What a person typed, as a stored code: no spaces or dashes, upper case."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:64]


class CertificateQuerySet(models.QuerySet):
    def for_holder(self, user):
        return self.filter(user=user)


class Certificate(models.Model):
    """Proof that a person completed a course, frozen when issued and verifiable by anyone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.PROTECT, related_name="certificates"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="certificates"
    )
    completed_at = models.DateTimeField(_("completed"))

    holder_name = models.CharField(_("name"), max_length=150)
    course_title = models.CharField(_("course"), max_length=255)
    sectors = models.CharField(_("sectors"), max_length=500, blank=True)
    cpd_hours = models.DecimalField(_("CPD hours"), max_digits=4, decimal_places=1)
    completed_on = models.DateField(_("completion date"))
    expires_on = models.DateField(_("expiry date"))
    issuer_name = models.CharField(_("issued by"), max_length=200)
    code = models.CharField(
        _("verification code"), max_length=CODE_LENGTH, unique=True, default=new_code
    )
    status_index = models.PositiveIntegerField(_("status list index"), unique=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)

    # Private storage (certificates/storage.py): served only by the download view.
    pdf = models.FileField(
        _("PDF"), upload_to="certificates/", blank=True, storage=certificate_storage
    )
    # Set once the learner has been emailed, so a task run again does not email twice.
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True, editable=False)

    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)

    # The versions of the course and of its final assessment that were live when the
    # certificate was earned, so a later significant change can tell who learnt an
    # earlier version. Empty for certificates issued before versions were recorded.
    course_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("course version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    assessment_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("final assessment version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            # One certificate per completion, however often issuing is retried.
            models.UniqueConstraint(
                fields=["enrolment", "completed_at"], name="certificates_one_per_completion"
            )
        ]
        indexes = [models.Index(fields=["user", "-issued_at"]), models.Index(fields=["expires_on"])]
        permissions = [("revoke_certificate", "Can revoke a certificate")]

    def __str__(self):
        return f"{self.course_title} – {self.holder_name} ({self.formatted_code})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            stored = Certificate.objects.filter(pk=self.pk).values(*FROZEN_FIELDS).first()
            if stored and any(stored[name] != getattr(self, name) for name in FROZEN_FIELDS):
                raise ValueError("An issued certificate cannot be changed; issue a new one.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("certificates:detail", args=[self.pk])

    def get_verification_url(self):
        return reverse("certificates:verify", args=[self.formatted_code])

    @property
    def formatted_code(self):
        return format_code(self.code)

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    def status(self, today=None):
        today = today or timezone.localdate()
        if self.is_revoked:
            return "revoked"
        if self.expires_on < today:
            return "expired"
        if (self.expires_on - today).days <= 60:
            return "expiring"
        return "valid"


class ExpiryReminder(models.Model):
    """A reminder sent about a certificate's expiry; each kind is sent once."""

    class Kind(models.TextChoices):
        DAYS_60 = "60", _("60 days before expiry")
        DAYS_30 = "30", _("30 days before expiry")
        DAYS_7 = "7", _("7 days before expiry")
        EXPIRED = "expired", _("On expiry")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "kind"], name="certificates_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.certificate}"


class SignificantChange(models.Model):
    """A published change to a course that holders of its certificates should know about,
    marked by a publisher with a summary of what changed. Nothing is revoked: holders
    of valid certificates earned on an earlier version are told, and may refresh."""

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="significant_changes",
    )
    # The published version of the course, or of a lesson or assessment in it, that
    # made the change.
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("version"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"))
    summary = models.TextField(_("what changed"), max_length=1000)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)

    class Meta:
        verbose_name = _("significant change")
        verbose_name_plural = _("significant changes")
        ordering = ["-marked_at"]
        constraints = [
            models.UniqueConstraint(fields=["revision"], name="certificates_change_once")
        ]

    def __str__(self):
        return f"{self.course_id}: {self.summary[:60]}"


class SignificantChangeNotice(models.Model):
    """One holder told of one significant change, about the certificate it concerns:
    at most one per holder per change, so emails are never sent twice."""

    change = models.ForeignKey(SignificantChange, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="change_notices"
    )
    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="change_notices"
    )
    # Set once the mail server has taken the email.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["change", "user"], name="certificates_notice_once")
        ]

    def __str__(self):
        return f"{self.change_id} – {self.user_id}"


# The signing keys' model lives with the code that uses them; imported so Django finds it.
from .keys import SigningKey  # noqa: E402, F401
