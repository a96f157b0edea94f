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


# The signing keys' model lives with the code that uses them; imported so Django finds it.
from .keys import SigningKey  # noqa: E402, F401
