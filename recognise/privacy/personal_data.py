"""A learner's rights over their data (UK GDPR): a copy of it, and erasure.

personal_data() gathers everything the platform holds about one user, for "Download
my data". erase_account() is "Delete my account": in one transaction the person's
certificates are revoked and stop naming them, everything that identifies them is
removed, and their progress and quiz attempts stay behind attached to an anonymous
placeholder (the same user row, emptied), so course and question statistics keep
their counts.
"""

import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail.users.models import UserProfile

from accounts.models import Membership
from accounts.roles import roles_for
from audit.models import Action, AuditEvent
from audit.records import quiet_about, record
from certificates.models import Certificate
from certificates.revoking import revoke_and_erase_holder
from cohorts.models import Assignment, AssignmentReminder, CohortMember, EmailInvitation
from core.site_urls import absolute_url
from courses.models import CoursePage, Enrolment, LessonCompletion
from learning.adjustments import adjustments_of
from learning.attempts import paper_questions, review_allowed
from learning.models import TimeAdjustment
from quizzes.models import Attempt
from xapi.models import StatementDelivery

# The admin's per-user state: autosaved drafts, editing presence, API tokens and
# comment subscriptions. Comments and revisions stay, as part of the editorial record.
PER_USER_ADMIN_STATE = [
    "wagtailadmin.FormState",
    "wagtailadmin.EditingSession",
    "wagtailcore.APIToken",
    "wagtailcore.PageSubscription",
]

# Stored on the emptied account; the name any remaining link to it shows.
DELETED_DISPLAY_NAME = "Deleted account"
DELETED_EMAIL_DOMAIN = "deleted.invalid"  # .invalid never resolves (RFC 2606)


# Download my data ---------------------------------------------------------------


def personal_data(user):
    """Everything held about this user, as plain JSON-ready data."""
    return {
        "about_this_file": _(
            "Everything Recognise holds about your account, as of the time below. Times are in UTC."
        ),
        "generated_at": timezone.now(),
        "profile": profile(user),
        "organisations": organisations(user),
        "cohorts": cohorts(user),
        "assigned_courses": assigned_courses(user),
        "enrolments": enrolments(user),
        "quiz_attempts": quiz_attempts(user),
        "time_adjustments": time_adjustments(user),
        "certificates": certificates(user),
        "security_log": security_log(user),
    }


def profile(user):
    return {
        "email": user.email,
        "display_name": user.display_name,
        "preferred_language": user.preferred_language,
        "roles": sorted(roles_for(user).names),
        "administrator": user.is_superuser,
        "joined": user.date_joined,
        "last_sign_in": user.last_login,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        # Which second factors are set up and when; never their secrets.
        "two_factor_methods": [
            {"type": item.type, "added": item.created_at, "last_used": item.last_used_at}
            for item in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
    }


def organisations(user):
    return [
        {
            "organisation": membership.organisation.name,
            "part_of": membership.organisation.parent.name
            if membership.organisation.parent
            else None,
            "sector": membership.organisation.sector,
            "joined": membership.joined_at,
            "staff_number": membership.staff_number,
        }
        for membership in Membership.objects.filter(user=user)
        .select_related("organisation", "organisation__parent")
        .order_by("organisation__name")
    ]


def cohorts(user):
    joined = [
        {
            "cohort": member.cohort.name,
            "organisation": member.cohort.organisation.name,
            "added": member.added_at,
        }
        for member in CohortMember.objects.filter(user=user)
        .select_related("cohort__organisation")
        .order_by("cohort__name")
    ]
    addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    invitations = [
        {
            "cohort": invitation.cohort.name,
            "organisation": invitation.cohort.organisation.name,
            "email": invitation.email,
            "invited": invitation.invited_at,
            "accepted": invitation.accepted_at,
        }
        for invitation in EmailInvitation.objects.filter(
            Q(email__iexact=user.email) | Q(email__in=list(addresses))
        )
        .select_related("cohort__organisation")
        .order_by("invited_at")
    ]
    return {"member_of": joined, "invitations": invitations}


def assigned_courses(user):
    return [
        {
            "course": assignment.course.title,
            "due": assignment.due_date,
            "through_cohort": assignment.cohort.name if assignment.cohort else None,
            "recertify_every_months": assignment.recertify_months,
        }
        for assignment in Assignment.objects.filter(
            Q(user=user) | Q(cohort__memberships__user=user)
        )
        .select_related("course", "cohort")
        .distinct()
        .order_by("due_date")
    ]


def enrolments(user):
    lessons = {}
    for completion in (
        LessonCompletion.objects.filter(enrolment__user=user)
        .select_related("lesson")
        .order_by("completed_at")
    ):
        lessons.setdefault(completion.enrolment_id, []).append(
            {"lesson": completion.lesson.title, "completed": completion.completed_at}
        )
    return [
        {
            "course": enrolment.course.title,
            "enrolled": enrolment.enrolled_at,
            "current_cycle_started": enrolment.cycle_started_at,
            "last_activity": enrolment.last_activity_at,
            "completed": enrolment.completed_at,
            "lessons_completed": lessons.get(enrolment.pk, []),
        }
        for enrolment in Enrolment.objects.filter(user=user)
        .select_related("course")
        .order_by("enrolled_at")
    ]


def quiz_attempts(user):
    attempts = list(
        Attempt.objects.filter(user=user)
        .select_related("assessment")
        .prefetch_related("marked_answers")
        .order_by("started_at")
    )
    parent_paths = {attempt.assessment.path[: -Page.steplen] for attempt in attempts}
    courses = dict(CoursePage.objects.filter(path__in=parent_paths).values_list("path", "title"))
    passed = {attempt.assessment_id for attempt in attempts if attempt.passed}
    submitted = {}
    for attempt in attempts:
        if attempt.is_submitted:
            submitted[attempt.assessment_id] = submitted.get(attempt.assessment_id, 0) + 1
    return [
        attempt_record(
            attempt,
            courses,
            attempt.assessment_id in passed,
            attempts_left(attempt.assessment, submitted.get(attempt.assessment_id, 0)),
        )
        for attempt in attempts
    ]


def attempts_left(assessment, submitted):
    return max(0, assessment.max_attempts - submitted) if assessment.max_attempts else None


def attempt_record(attempt, course_titles, has_passed, left=None):
    assessment = attempt.assessment
    # Marks per question follow the assessment's review rules, as on the review page, so
    # the file never gives away answers a learner may not yet see.
    show_marks = review_allowed(assessment.feedback, has_passed, left)
    marks = {answer.question_id: answer for answer in attempt.marked_answers.all()}
    questions = paper_questions(attempt)
    answers = []
    for number, item in enumerate(attempt.paper, start=1):
        question = questions.get(item["question"])
        if question is None:
            continue
        texts = {option.pk: option.text for option in question.options.all()}
        chosen = attempt.answers.get(str(question.pk), [])
        answer = {
            "number": number,
            "question": question.prompt,
            "your_answer": [texts.get(option_id, "") for option_id in chosen],
        }
        marked = marks.get(question.pk)
        if show_marks and marked is not None:
            answer["marks"] = marked.points
            answer["fully_correct"] = marked.is_correct
        answers.append(answer)
    return {
        "assessment": assessment.title,
        "course": course_titles.get(assessment.path[: -Page.steplen]),
        "attempt_number": attempt.number,
        "started": attempt.started_at,
        "time_limit_minutes": attempt.time_limit_minutes,
        "time_adjustment": attempt.adjustment_label or None,
        "submitted": attempt.submitted_at,
        "score": attempt.score,
        "maximum_score": attempt.max_score,
        "percent": attempt.percent,
        "passed": attempt.passed,
        "answers": answers,
    }


def time_adjustments(user):
    """Reasonable adjustments to assessment time limits, with the note kept about them."""
    return [
        {
            "assessment": adjustment.assessment.full_title if adjustment.assessment else None,
            "all_assessments": adjustment.assessment is None,
            "no_time_limit": adjustment.kind == TimeAdjustment.Kind.NO_LIMIT,
            "extra_time_percent": adjustment.extra_percent,
            "note": adjustment.note,
            "set_by": adjustment.set_by.display_name if adjustment.set_by else None,
            "set": adjustment.set_at,
        }
        for adjustment in adjustments_of(user)
    ]


def certificates(user):
    return [
        {
            "course": certificate.course_title,
            "name_on_certificate": certificate.holder_name,
            "sectors": certificate.sectors,
            "cpd_hours": certificate.cpd_hours,
            "completed": certificate.completed_on,
            "valid_until": certificate.expires_on,
            "issued_by": certificate.issuer_name,
            "issued": certificate.issued_at,
            "status": certificate.status(),
            "revoked": certificate.revoked_at,
            "verification_code": certificate.formatted_code,
            "verification_url": absolute_url(certificate.get_verification_url()),
        }
        for certificate in Certificate.objects.for_holder(user).order_by("issued_at")
    ]


def security_log(user):
    """The audit entries about the user's own actions: sign-ins, security changes."""
    return [
        {
            "time": event.timestamp,
            "action": event.action,
            "what": event.message,
            "ip_address": event.ip_address,
        }
        for event in AuditEvent.objects.filter(actor=user).order_by("timestamp")
    ]


# Delete my account -----------------------------------------------------------------


class ErasureRefused(Exception):
    """This account cannot erase itself (an administrator)."""


def new_reference():
    """A random reference that stands for the erased account in the audit log."""
    return secrets.token_hex(6)


@transaction.atomic
def erase_account(user):
    """Erase the user's personal data; returns the reference the audit log keeps.

    Certificates are revoked with the name removed; organisation, cohort and role links,
    email addresses, second factors, admin preferences and sessions go; the account row
    stays, emptied and unusable, holding the progress and attempts that statistics count.
    Any failure undoes all of it.
    """
    if user.is_superuser:
        raise ErasureRefused("An administrator's account is removed by another administrator.")
    reference = new_reference()
    label = f"{DELETED_DISPLAY_NAME} {reference}"
    others = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    addresses = {user.email.lower(), *(email.lower() for email in others)}
    with quiet_about(user):
        revoked = 0
        for certificate in Certificate.objects.filter(user=user).order_by("issued_at"):
            revoked += not certificate.is_revoked
            revoke_and_erase_holder(certificate, label)
        remove_links(user, addresses)
        anonymise(user, reference)
    record(
        Action.ACCOUNT_DELETED,
        f"Account erased at the holder's request; {revoked} certificate(s) revoked",
        actor=None,
        actor_label=label,
        with_address=False,
        data={"reference": reference, "certificates_revoked": revoked},
    )
    return reference


def remove_links(user, addresses):
    """Everything that ties other records, or other people, to this person."""
    Membership.objects.filter(user=user).delete()
    CohortMember.objects.filter(user=user).delete()
    AssignmentReminder.objects.filter(user=user).delete()
    Assignment.objects.filter(user=user).delete()
    TimeAdjustment.objects.filter(learner=user).delete()
    # The outbox's copies of xAPI statements name the person (what an LRS already has is
    # the organisation's own record).
    StatementDelivery.objects.filter(learner=user).delete()
    email_filter = Q()
    for address in addresses:
        email_filter |= Q(email__iexact=address)
    EmailInvitation.objects.filter(email_filter).delete()
    user.groups.clear()
    user.user_permissions.clear()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    for profile in UserProfile.objects.filter(user=user):
        if profile.avatar:
            name, storage = profile.avatar.name, profile.avatar.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        profile.delete()
    for label in PER_USER_ADMIN_STATE:
        apps.get_model(label).objects.filter(user=user).delete()


def anonymise(user, reference):
    user.email = f"deleted-{reference}@{DELETED_EMAIL_DOMAIN}"
    user.display_name = DELETED_DISPLAY_NAME
    user.first_name = ""
    user.last_name = ""
    user.preferred_language = settings.LANGUAGE_CODE
    user.last_login = None
    # Saving the account inactive ends its sessions on every device (see signing_out).
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    # A changed password hash also ends every session Django checks it against.
    user.set_unusable_password()
    user.save()
