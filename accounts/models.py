import re

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .natural_names import NATURAL_NAME_LENGTH, natural_key


class Sector(models.TextChoices):
    """The practitioner sectors the platform trains."""

    POLICE = "police", _("Police")
    CHILDRENS_SOCIAL_CARE = "childrens-social-care", _("Children's social care")
    BORDER_AND_IMMIGRATION = "border-and-immigration", _("Border and immigration")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    NGO = "ngo", _("NGOs and voluntary sector")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: a practitioner, trainer, editor, reviewer or publisher.

    The email address is the login. The display name is what appears on
    certificates and to trainers.
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=150,
        help_text=_("Your name as it should appear on your certificates."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
    )
    # The display name (or, without one, the address) as lists sort it: "Load 2" before
    # "Load 10" (accounts.natural_names). Kept by save(); never edited by hand.
    natural_name = models.CharField(max_length=NATURAL_NAME_LENGTH, blank=True, editable=False)
    # Due-date reminders and trainers' nudges; the email telling a learner a course was
    # assigned to them is sent whatever this says.
    reminder_emails = models.BooleanField(
        _("reminder emails"),
        default=True,
        help_text=_("Emails reminding you of due and overdue courses."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    # Set on a user read from the cache, which is kept without its password
    # (accounts.backends).
    kept_session_auth_hash = None

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["display_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_unique_ci"),
        ]
        # People are listed by name everywhere, a trainer's 10,000 learners fifty at a time.
        indexes = [
            models.Index(fields=["display_name", "email"], name="accounts_user_by_name"),
            models.Index(fields=["natural_name", "email"], name="accounts_user_natural"),
        ]

    def __str__(self):
        return self.display_name or self.email

    def save(self, *args, **kwargs):
        self.natural_name = natural_key(self.display_name or self.email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"display_name", "email"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "natural_name"}
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email

    def get_session_auth_hash(self):
        # Once the password is loaded or set, the hash follows it: a password changed
        # in this request gives the session its new hash.
        if self.kept_session_auth_hash and "password" in self.get_deferred_fields():
            return self.kept_session_auth_hash
        return super().get_session_auth_hash()


def domains_in(text):
    """The domains in a list typed one per line (or separated by commas or spaces),
    lowercased, without a trailing dot, each once."""
    domains = [part.strip().lower().rstrip(".") for part in re.split(r"[\s,;]+", text or "")]
    return list(dict.fromkeys(domain for domain in domains if domain))


def invalid_domains(domains):
    # ASCII only: an internationalised domain is entered in its xn-- form, so a look-alike
    # letter cannot pass for a verified domain.
    validate = DomainNameValidator(accept_idna=False)
    wrong = []
    for domain in domains:
        try:
            validate(domain)
        except ValidationError:
            wrong.append(domain)
    return wrong


class Organisation(models.Model):
    """A police force, local authority, health body, school or NGO whose staff use the platform.

    A police force's units (or a council's teams) can sit under a parent organisation.
    Its verified email domains are the ones an administrator has confirmed it uses: a
    trainer may invite people at other addresses only a few a day, and administrators
    see a list of those invitations.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=40, choices=Sector.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )
    email_domains = models.TextField(
        _("verified email domains"),
        blank=True,
        help_text=_(
            "One per line, for example force.police.uk: only domains you have confirmed this "
            "organisation's staff use. Subdomains count only if listed. A unit also has its "
            "parent organisation's domains. Trainers' invitations to other addresses are "
            "limited each day and listed for administrators."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        domains = domains_in(self.email_domains)
        wrong = invalid_domains(domains)
        if wrong:
            raise ValidationError(
                {
                    "email_domains": _(
                        "Not a domain name: %(domains)s. Enter domains such as force.police.uk."
                    )
                    % {"domains": ", ".join(wrong)}
                }
            )
        self.email_domains = "\n".join(domains)

    def verified_domains(self):
        """This organisation's verified domains and those of the organisations above it."""
        domains, organisation, seen = set(), self, set()
        while organisation is not None and organisation.pk not in seen:
            seen.add(organisation.pk)
            domains.update(domains_in(organisation.email_domains))
            organisation = organisation.parent
        return domains

    def has_verified_domain(self, email):
        return email.rpartition("@")[2].lower() in self.verified_domains()


class Membership(models.Model):
    """A user belongs to an organisation; trainers see only their organisation's learners."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    # The organisation's own number for the person (collar number, payroll or ESR
    # number): HR systems join on it, because people change email addresses.
    staff_number = models.CharField(
        _("staff number"),
        max_length=50,
        blank=True,
        help_text=_("Collar number, payroll or ESR number, as your HR system records it."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="accounts_membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.organisation}"
