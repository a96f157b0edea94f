"""Adding learners to a cohort: by address list or CSV, and by invitation link."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, User
from audit.models import Action
from audit.records import record, record_many, user_label
from core.rate_limits import take_allowance

from .assigning import add_member, add_members
from .models import EmailInvitation, InvitationLink
from .tasks import send_invitation_email


@dataclass
class RowResult:
    row: int
    email: str
    # added | invited | already_member | already_invited | other_organisation | invalid
    # | duplicate | over_limit
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
            "duplicate": _("Listed already: imported once"),
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


def normalised(address):
    """The address as it is compared: "Alex@Example.org " and "alex@example.org" are
    one person."""
    return address.strip().lower()


@transaction.atomic
def import_addresses(cohort, addresses, invited_by, *, lines=None, earlier=frozenset()):
    """Add existing users, invite new addresses, and say what happened to each row, in a
    fixed number of queries whatever the number of addresses.

    lines: the line each address came from (by default 1, 2, ...); earlier: the
    (normalised) addresses of the rows before these, so a row repeating one is reported
    as listed already, never imported twice.

    Invitations to addresses outside the organisation's verified domains count against
    the trainer's daily allowance (RATE_LIMITS["outside_invitation"]); the rows beyond it
    are reported as over the limit, and nothing is saved or sent for them.
    """
    results, wanted = [], {}
    for number, raw in zip(lines or range(1, len(addresses) + 1), addresses, strict=True):
        email = normalised(raw)
        try:
            validate_email(email)
        except ValidationError:
            results.append(RowResult(number, raw[:254], "invalid"))
            continue
        if email in earlier or email in wanted:
            results.append(RowResult(number, email, "duplicate"))
            continue
        wanted[email] = RowResult(number, email, "")
        results.append(wanted[email])
    users = with_organisation_ties(
        User.objects.annotate(address=Lower("email")).filter(address__in=wanted), cohort
    ).order_by("pk")
    adding = {}
    for user in users:
        result = wanted.pop(user.address, None)
        if result is None:  # a second account with the same address in other letters
            continue
        if user.in_other_organisation and not user.in_cohort_organisation:
            # Adding would show their training record to this organisation's trainers;
            # a link lets them choose to join.
            result.outcome = "other_organisation"
            continue
        adding[user.pk] = (user, result)
    added = add_members(cohort, [user for user, _result in adding.values()])
    for pk, (_user, result) in adding.items():
        result.outcome = "added" if pk in added else "already_member"
    invited = set(cohort.email_invitations.filter(email__in=wanted).values_list("email", flat=True))
    domains = cohort.organisation.verified_domains()
    inside, outside = [], []
    for email, result in wanted.items():
        if email in invited:
            result.outcome = "already_invited"
            continue
        result.outcome = "invited"
        (inside if email.rpartition("@")[2] in domains else outside).append(result)
    allowed = take_allowance("outside_invitation", invited_by, len(outside)) if outside else 0
    for result in outside[allowed:]:
        result.outcome = "over_limit"
    invite(cohort, inside, invited_by, outside_verified_domains=False)
    invite(cohort, outside[:allowed], invited_by, outside_verified_domains=True)
    return results


def invite(cohort, results, invited_by, *, outside_verified_domains):
    """Save invitations for the rows' addresses and email them once the import is
    saved; an address someone else invited a moment ago is reported so, not invited
    twice."""
    if not results:
        return
    EmailInvitation.objects.bulk_create(
        [
            EmailInvitation(
                cohort=cohort,
                email=result.email,
                invited_by=invited_by,
                outside_verified_domains=outside_verified_domains,
            )
            for result in results
        ],
        ignore_conflicts=True,
    )
    saved = dict(
        EmailInvitation.objects.filter(
            cohort=cohort, email__in=[result.email for result in results], invited_by=invited_by
        ).values_list("email", "pk")
    )
    where = " (outside the organisation's verified domains)" if outside_verified_domains else ""
    entries = []
    for result in results:
        if result.email not in saved:
            result.outcome = "already_invited"
            continue
        entries.append(
            (
                Action.INVITATION_CREATED,
                f"Invited {result.email} to cohort “{cohort.name}”{where}",
                {"cohort_id": cohort.pk, "invitation_id": saved[result.email]},
            )
        )
        transaction.on_commit(lambda pk=saved[result.email]: queue_invitation_email(pk))
    record_many(entries)


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
