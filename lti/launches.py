"""What a validated LTI launch does in Recognise: whom it signs in, where they belong,
and which course it opens.

A platform user is linked to a Recognise account by (registration, subject) only,
never by the email address the launch carries, which the platform does not prove:

- linked already: that account is signed in;
- not linked, and the launch's email is free (or missing): a new learner account is
  made, with no password, and linked;
- not linked, and the email belongs to an existing account: nobody is signed in. The
  person is asked to sign in to that account with its password (and second factor,
  where it has one); only then is the platform user linked to it.

An LTI sign-in never gives a role beyond learner, whatever roles the launch names, and
never counts as a second factor (the session has no allauth authentication record)."""

from django.contrib.auth import login, logout
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.crypto import get_random_string

from accounts.models import Membership, User
from accounts.roles import LEARNER
from audit.models import Action
from audit.records import record
from courses.models import CoursePage
from learning.progress import ProgressError, enrol

from .models import CourseLink

CUSTOM_COURSE = "course"
BACKEND = "accounts.backends.ModelBackend"


def launch_claim(lti_launch, name):
    return lti_launch.get_claim(f"https://purl.imsglobal.org/spec/lti/claim/{name}")


def email_in(lti_launch):
    return (lti_launch.get_claim("email") or "").strip()


def name_in(lti_launch):
    name = (lti_launch.get_claim("name") or "").strip()
    if not name:
        given = lti_launch.get_claim("given_name") or ""
        family = lti_launch.get_claim("family_name") or ""
        name = f"{given} {family}".strip()
    return name[:150]


def placeholder_email():
    # A launch without an email still needs the unique address the account model
    # requires; .invalid never delivers (RFC 2606).
    return f"lti-{get_random_string(20).lower()}@lti.invalid"


@transaction.atomic
def new_learner_for(lti_user, email, name):
    user = User.objects.create_user(email=email or placeholder_email(), display_name=name)
    user.groups.add(Group.objects.get(name=LEARNER))
    lti_user.auth_user = user
    lti_user.save(update_fields=["auth_user"])
    return user


def email_taken(email):
    return bool(email) and User.objects.filter(email__iexact=email).exists()


def make_member(user, organisation):
    Membership.objects.get_or_create(user=user, organisation=organisation)


def sign_in(request, user, platform):
    """Sign the person in for this launch. A session of someone else is ended first."""
    if request.user.is_authenticated and request.user.pk != user.pk:
        logout(request)
    if not request.user.is_authenticated:
        login(request, user, backend=BACKEND)
    record(
        Action.LTI_SIGNED_IN,
        f"Signed in from {platform}",
        actor=user,
        request=request,
        data={"platform": platform.pk},
    )


def link_account(lti_user, user, request, platform):
    """Link a platform user to the account its person has just proved is theirs."""
    lti_user.auth_user = user
    lti_user.save(update_fields=["auth_user"])
    record(
        Action.LTI_ACCOUNT_LINKED,
        f"Linked to a user of {platform}",
        actor=user,
        request=request,
        data={"platform": platform.pk, "subject": lti_user.sub},
    )


def course_for(lti_launch):
    """The live course the launch's resource link opens, remembering it (and the line
    item for its grades) for the next launch; None when it names none."""
    resource_link = lti_launch.resource_link
    lineitem = (launch_claim_ags(lti_launch) or {}).get("lineitem", "")
    link = CourseLink.objects.filter(resource_link=resource_link).first()
    if link is None:
        course_id = lti_launch.get_custom_claim(CUSTOM_COURSE)
        course = None
        if course_id and str(course_id).isdigit():
            course = CoursePage.objects.live().filter(pk=int(course_id)).first()
        if course is None:
            return None
        link = CourseLink.objects.create(
            resource_link=resource_link, course=course, lineitem_url=lineitem
        )
    elif lineitem and link.lineitem_url != lineitem:
        link.lineitem_url = lineitem
        link.save(update_fields=["lineitem_url"])
    return CoursePage.objects.live().filter(pk=link.course_id).first()


def launch_claim_ags(lti_launch):
    return lti_launch.get_claim("https://purl.imsglobal.org/spec/lti-ags/claim/endpoint")


def enrol_in(user, course):
    """Enrol, or the message saying why not (courses to take first)."""
    try:
        enrol(user, course)
    except ProgressError as error:
        return str(error)
    return ""
