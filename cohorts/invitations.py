"""Adding learners to a cohort: by address list or CSV, and by invitation link."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, User
from audit.models import Action
from audit.records import record, user_label
from core.rate_limits import take_allowance

from .assigning import add_member
from .models import EmailInvitation, InvitationLink
from .tasks import send_invitation_email

MAX_ADDRESSES = 2000


class ImportRefused(Exception):
    """The whole file or list was refused; nothing was imported."""


@dataclass
class RowResult:
    row: int
    email: str
    # added | invited | already_member | already_invited | other_organisation | invalid
    # | over_limit
    outcome: str

    # Addresses that came to nothing, which the trainer may correct and try again.
    FAILED = ("invalid", "other_organisation", "over_limit")

    @property
    def failed(self):
        return self.outcome in self.FAILED

    @property
    def label(self):
        return {
            "added": _("Added"),
            "invited": _("Invitation sent"),
            "already_member": _("Already a member"),
            "already_invited": _("Already invited"),
            "other_organisation": _(
                "Belongs to another organisation: send them an invitation link to join"
            ),
            "invalid": _("Not a valid email address"),
            "over_limit": _(
                "Not sent: over today's limit of invitations to addresses outside your "
                "organisation's email domains"
            ),
        }[self.outcome]


def addresses_from_text(text):
    """One address per line, or separated by commas or semicolons."""
    parts = [
        part.strip()
        for line in (text or "").splitlines()
        for part in line.replace(";", ",").split(",")
    ]
    return [part for part in parts if part]


def addresses_from_csv(upload):
    """Email addresses from a CSV file: the column headed "email", else the first column."""
    try:
        raw = upload.read(2 * 1024 * 1024 + 1)
        if len(raw) > 2 * 1024 * 1024:
            raise ImportRefused(_("The file is larger than 2 MB."))
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(_("The file is not a CSV text file (UTF-8).")) from error
    if "\x00" in text:
        raise ImportRefused(_("The file is not a CSV text file."))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise ImportRefused(_("The file is not valid CSV: %(error)s") % {"error": error}) from error
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ImportRefused(_("The file has no addresses in it."))
    header = [cell.strip().lower() for cell in rows[0]]
    column = header.index("email") if "email" in header else 0
    if "email" in header or (header and "@" not in header[0]):
        rows = rows[1:]
    return [row[column].strip() if column < len(row) else "" for row in rows]


@transaction.atomic
def import_addresses(cohort, addresses, invited_by):
    """Add existing users, invite new addresses, and say what happened to each row.

    Invitations to addresses outside the organisation's verified domains count against
    the trainer's daily allowance (RATE_LIMITS["outside_invitation"]); the rows beyond it
    are reported as over the limit, and nothing is saved or sent for them.
    """
    if len(addresses) > MAX_ADDRESSES:
        raise ImportRefused(
            _("Import at most %(count)s addresses at a time.") % {"count": MAX_ADDRESSES}
        )
    domains = cohort.organisation.verified_domains()
    results = []
    outside = []
    seen = set()
    for number, raw in enumerate(addresses, start=1):
        email = raw.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            results.append(RowResult(number, raw[:254], "invalid"))
            continue
        if email in seen:
            results.append(RowResult(number, email, "already_member"))
            continue
        seen.add(email)
        user = with_organisation_ties(User.objects.filter(email__iexact=email), cohort).first()
        if user is not None:
            if user.in_other_organisation and not user.in_cohort_organisation:
                # Adding would show their training record to this organisation's
                # trainers; a link lets them choose to join.
                results.append(RowResult(number, email, "other_organisation"))
                continue
            outcome = "added" if add_member(cohort, user) else "already_member"
            results.append(RowResult(number, email, outcome))
            continue
        if cohort.email_invitations.filter(email=email).exists():
            results.append(RowResult(number, email, "already_invited"))
            continue
        result = RowResult(number, email, "invited")
        results.append(result)
        if email.rpartition("@")[2] in domains:
            invite(cohort, result, invited_by, outside_verified_domains=False)
        else:
            outside.append(result)
    allowed = take_allowance("outside_invitation", invited_by, len(outside))
    for result in outside[:allowed]:
        invite(cohort, result, invited_by, outside_verified_domains=True)
    for result in outside[allowed:]:
        result.outcome = "over_limit"
    return results


def invite(cohort, result, invited_by, *, outside_verified_domains):
    """Save an invitation for the row's address and email it once the import is saved."""
    invitation, created = EmailInvitation.objects.get_or_create(
        cohort=cohort,
        email=result.email,
        defaults={"invited_by": invited_by, "outside_verified_domains": outside_verified_domains},
    )
    if not created:  # invited by someone else a moment ago
        result.outcome = "already_invited"
        return
    where = " (outside the organisation's verified domains)" if outside_verified_domains else ""
    record(
        Action.INVITATION_CREATED,
        f"Invited {result.email} to cohort “{cohort.name}”{where}",
        data={"cohort_id": cohort.pk, "invitation_id": invitation.pk},
    )
    transaction.on_commit(lambda pk=invitation.pk: queue_invitation_email(pk))


def with_organisation_ties(users, cohort):
    """Mark whether each user belongs to the cohort's organisation, and to any other."""
    memberships = Membership.objects.filter(user=OuterRef("pk"))
    return users.annotate(
        in_cohort_organisation=Exists(memberships.filter(organisation=cohort.organisation_id)),
        in_other_organisation=Exists(memberships.exclude(organisation=cohort.organisation_id)),
    )


def queue_invitation_email(invitation_id):
    send_invitation_email.enqueue(invitation_id)


def accept_email_invitations(user, email):
    """Once a person has confirmed an address, join the cohorts it was invited to (a
    withdrawn invitation is deleted; an archived cohort takes nobody until unarchived)."""
    pending = EmailInvitation.objects.filter(
        email__iexact=email, accepted_at__isnull=True, cohort__archived_at__isnull=True
    )
    for invitation in pending.select_related("cohort", "cohort__organisation"):
        add_member(invitation.cohort, user)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        record(
            Action.INVITATION_ACCEPTED,
            f"{user_label(user)} accepted the invitation to cohort “{invitation.cohort.name}”",
            actor=user,
            data={"cohort_id": invitation.cohort_id, "invitation_id": invitation.pk},
        )


class LinkRefused(Exception):
    pass


def link_refusal(link):
    """Why the link cannot be used to join, or "" when it can (use count aside: a member
    following it again is told they are in)."""
    if link is None:
        return _("This invitation link is not valid. Ask your trainer for a new one.")
    if link.withdrawn_at is not None:
        return _(
            "This invitation link was withdrawn by your trainer and no longer works. "
            "Ask your trainer if you still need to join."
        )
    if link.cohort.archived_at is not None:
        return _("This cohort has been archived and takes no new learners.")
    if link.expires_at <= timezone.now():
        return _("This invitation link has expired. Ask your trainer for a new one.")
    return ""


@transaction.atomic
def join_by_link(token, user):
    """Use an invitation link; the use count is taken under a row lock."""
    link = (
        InvitationLink.objects.select_for_update()
        .select_related("cohort")
        .filter(token=token)
        .first()
    )
    refusal = link_refusal(link)
    if refusal:
        raise LinkRefused(refusal)
    if link.cohort.memberships.filter(user=user).exists():
        return link.cohort, False
    if link.uses >= link.max_uses:
        raise LinkRefused(
            _("This invitation link has been used up. Ask your trainer for a new one.")
        )
    add_member(link.cohort, user)
    InvitationLink.objects.filter(pk=link.pk).update(uses=F("uses") + 1)
    record(
        Action.INVITATION_ACCEPTED,
        f"{user_label(user)} joined cohort “{link.cohort.name}” by invitation link",
        actor=user,
        data={"cohort_id": link.cohort_id, "link_id": link.pk},
    )
    return link.cohort, True
