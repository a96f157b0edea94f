import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.storage import certificate_storage


def new_token():
    # 256 bits: invitation links cannot be guessed or enumerated.
    return secrets.token_urlsafe(32)


class Cohort(models.Model):
    """A group of learners in one organisation that a trainer takes through courses,
    e.g. "Response officers, January intake"."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # An archived cohort leaves the trainer's lists and takes no new members or
    # assignments; its records and dashboard stay readable (cohorts.housekeeping).
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CohortMember", related_name="cohorts"
    )

    class Meta:
        verbose_name = _("cohort")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="cohorts_name_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def is_archived(self):
        return self.archived_at is not None


class CohortMember(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="cohorts_member_unique")
        ]

    def __str__(self):
        return f"{self.user} in {self.cohort}"


def members_version(cohort_id):
    """The name of the cohort's membership version (core.cache_versions)."""
    return f"cohort-members:{cohort_id}"


def cohorts_version(organisation_id):
    """The name of the version of an organisation's cohorts: which there are and their
    names (core.cache_versions)."""
    return f"organisation-cohorts:{organisation_id}"


def assignments_version(organisation_id):
    """The name of the version of an organisation's assignments (core.cache_versions)."""
    return f"organisation-assignments:{organisation_id}"


class InvitationLink(models.Model):
    """A link anyone can use to join a cohort, until it expires or runs out of uses."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="links")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    expires_at = models.DateTimeField(_("expires"))
    max_uses = models.PositiveIntegerField(_("maximum uses"))
    uses = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a trainer withdraws the link: it stops working at once.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    def __str__(self):
        return f"Link to {self.cohort}"

    @property
    def is_usable(self):
        return (
            self.withdrawn_at is None
            and self.expires_at > timezone.now()
            and self.uses < self.max_uses
        )


class EmailInvitation(models.Model):
    """An invitation sent to an address with no account yet; accepted once the person
    signs up and confirms that address."""

    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.CASCADE,
        related_name="email_invitations",
    )
    email = models.EmailField(_("email address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("time"), auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # Outside every verified domain of the cohort's organisation when the invitation was
    # made: such invitations are limited per trainer and listed for administrators.
    outside_verified_domains = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "email"], name="cohorts_email_invite_unique")
        ]
        # The administrators' list, newest first.
        indexes = [
            models.Index(
                fields=["-invited_at"],
                condition=Q(outside_verified_domains=True),
                name="cohorts_invite_outside_by_time",
            )
        ]

    def __str__(self):
        return f"{self.email} to {self.cohort}"


class OutsideInvitationManager(models.Manager):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(outside_verified_domains=True)
            .select_related("cohort__organisation", "invited_by")
        )


class OutsideInvitation(EmailInvitation):
    """An email invitation to an address outside the organisation's verified domains, as
    administrators see them: who sent what to whom, so misuse of a trainer account shows."""

    objects = OutsideInvitationManager()

    class Meta:
        proxy = True
        verbose_name = _("invitation outside verified domains")
        verbose_name_plural = _("invitations outside verified domains")
        ordering = ["-invited_at", "-pk"]
        # Only superusers read the list (audit's read-only policy); no rights
        # exist to give anyone else.
        default_permissions = ()


class Assignment(models.Model):
    """A course a trainer has set for a cohort or one learner, due by a date.

    Someone who joins the cohort after that date gets a due date of their own
    (cohorts.due_dates), as the trainer chose here."""

    class LateJoiners(models.TextChoices):
        WINDOW = "window", _("Give them as long as everyone else had, from the day they join")
        DATE = "date", _("Give them until a date I choose")

    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="assignments"
    )
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField(_("due date"))
    recertify_months = models.PositiveSmallIntegerField(
        _("recertify every (months)"), null=True, blank=True
    )
    late_joiners = models.CharField(
        _("people who join after the due date"),
        max_length=10,
        choices=LateJoiners.choices,
        default=LateJoiners.WINDOW,
    )
    late_due_date = models.DateField(_("due date for people who join late"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cohort__isnull=False, user__isnull=True)
                | Q(cohort__isnull=True, user__isnull=False),
                name="cohorts_assignment_one_target",
            )
        ]

    def __str__(self):
        return f"{self.course} due {self.due_date}"

    @property
    def window(self):
        """The time its learners had: from assigning to the due date."""
        assigned_on = timezone.localdate(self.created_at) if self.created_at else self.due_date
        return max(self.due_date - assigned_on, datetime.timedelta(0))


class AssignmentReminder(models.Model):
    """A reminder a learner was sent about an assignment; each kind once."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due in 7 days")
        OVERDUE = "overdue", _("Overdue")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user", "kind"], name="cohorts_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.assignment} – {self.user}"


class AssignmentNotice(models.Model):
    """The email telling a learner their trainer assigned them a course, with its due
    date and a calendar file; each learner gets it once per assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "user"], name="cohorts_notice_once")
        ]

    def __str__(self):
        return f"Notice of {self.assignment} to {self.user}"


class AssignmentNudge(models.Model):
    """A one-off reminder a trainer sent to an assignment's learners who had not started
    or were overdue; at most one per assignment a day."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="nudges")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "sent_on"], name="cohorts_nudge_once_a_day"
            )
        ]

    def __str__(self):
        return f"Nudge for {self.assignment} on {self.sent_on}"


class TrainerJob(models.Model):
    """Work a trainer asked for that runs in the background (assigning courses to a
    cohort, importing addresses, an export): its progress, then its file or report."""

    class Kind(models.TextChoices):
        ASSIGN = "assign", _("Assigning courses")
        IMPORT = "import", _("Importing addresses")
        XLSX = "xlsx", _("Spreadsheet of the cohort")
        ZIP = "zip", _("Certificates of the cohort")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="jobs")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # What was asked (course and assignment ids, addresses) and where a resumed run
    # carries on from: saved with each batch's work, in the same transaction.
    params = models.JSONField(default=dict, blank=True)
    cursor = models.JSONField(default=dict, blank=True)
    # Exports name learners: kept in the private storage of certificates, served only
    # by the job's download view, and deleted once expired.
    result_file = models.FileField(
        upload_to="trainer-jobs/", blank=True, storage=certificate_storage
    )
    result_name = models.CharField(max_length=255, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"], name="cohorts_job_expiry")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.cohort}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0
