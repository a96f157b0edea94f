"""Deep linking (the platform's administrator picks a course and a signed response
carries it back), rosters (a trainer fills a cohort from the platform course's members),
and framing (only the launch pages, only by a platform that is allowed)."""

import re
import time
from unittest import mock

import jwt
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from lti_tool.models import LtiContext, LtiUser

from accounts.models import User
from cohorts.models import Cohort, CohortMember
from lti.models import CourseLink, RosterImport
from tests.factories import OrganisationFactory, UserFactory, make_course
from tests.signing_in import enrol_totp, sign_in_with_totp

from .conftest import launch, register
from .platform import CLAIM, DL_CLAIM, INSTRUCTOR, LEARNER, ROSTER_SCOPE, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course("Recognising trafficked children", sectors=("education",), lessons=1)


def test_the_platforms_administrator_picks_a_course_and_gets_it_back_signed(
    client, platform, registered, course
):
    draft = make_course("Not yet published", live=False)

    page = launch(client, platform, registered, token=platform.deep_linking_token)

    assert page.status_code == 200
    html = page.content.decode()
    assert course.title in html
    assert draft.title not in html
    # Choosing signs nobody in: a deep-linking launch only picks content.
    assert not page.wsgi_request.user.is_authenticated
    token = BeautifulSoup(html, "html.parser").find("input", {"name": "token"})["value"]

    answer = client.post(reverse("lti:deep_link_return"), {"token": token, "course": course.pk})

    assert answer.status_code == 200
    form = BeautifulSoup(answer.content, "html.parser").find("form", {"method": "post"})
    assert form["action"] == f"{platform.origin}/deep-link-return"
    assert platform.origin in answer["Content-Security-Policy"]
    signed = form.find("input", {"name": "JWT"})["value"]
    # Named by the key id the tool publishes, as Moodle needs to pick the key.
    assert jwt.get_unverified_header(signed)["kid"] == platform.tool_jwks["keys"][0]["kid"]
    claims = platform.read_deep_linking_response(signed)
    assert claims[CLAIM + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[CLAIM + "deployment_id"] == platform.deployment_id
    assert claims[DL_CLAIM + "data"] == "opaque-platform-data"
    [item] = claims[DL_CLAIM + "content_items"]
    assert item["type"] == "ltiResourceLink"
    assert item["url"] == "http://testserver/lti/launch/"
    assert item["title"] == course.title
    assert item["custom"] == {"course": str(course.pk)}
    assert item["lineItem"]["scoreMaximum"] == 100

    # The link the platform makes from it opens that course.
    client.logout()
    opened = launch(client, platform, registered, **{CLAIM + "custom": item["custom"]})
    assert opened["Location"] == course.url
    assert CourseLink.objects.get().lineitem_url == platform.lineitem_url()


def test_a_tampered_or_unlisted_deep_linking_choice_is_refused(
    client, platform, registered, course
):
    page = launch(client, platform, registered, token=platform.deep_linking_token)
    token = BeautifulSoup(page.content, "html.parser").find("input", {"name": "token"})["value"]
    draft = make_course("Not yet published", live=False)

    assert client.post(reverse("lti:deep_link_return"), {"token": token + "x"}).status_code == 400
    unlisted = client.post(reverse("lti:deep_link_return"), {"token": token, "course": draft.pk})
    assert unlisted.status_code == 400


def test_a_trainer_fills_a_cohort_from_the_platform_courses_roster(
    client, platform, registered, organisation, course, django_capture_on_commit_callbacks
):
    # A learner has launched before, so the platform course is known with its roster.
    learner_client = client.__class__()
    launch(learner_client, platform, registered, **{CLAIM + "custom": {"course": str(course.pk)}})
    already = LtiUser.objects.get(sub="moodle-user-7").auth_user
    taken = UserFactory(email="taken@school.example", role="Learner")
    platform.members = [
        member("moodle-user-7", "sam@school.example", "Sam Platform"),
        member("moodle-user-8", "new@school.example", "New Learner"),
        member("moodle-user-9", "taken@school.example", "Someone Else"),
        member("moodle-user-10", "teacher@school.example", "A Teacher", roles=[INSTRUCTOR]),
        member("moodle-user-11", "gone@school.example", "Left", status="Inactive"),
        member("moodle-user-12", "", "No Address", roles=[LEARNER]),
    ]
    trainer = UserFactory(role="Trainer", email="trainer@school.example")
    trainer.memberships.create(organisation=organisation)
    sign_in_with_totp(client, trainer, enrol_totp(trainer))
    cohort = Cohort.objects.create(organisation=organisation, name="Year 9 staff")
    context = LtiContext.objects.get()

    members_page = client.get(reverse("cohorts:members", args=[cohort.pk])).content.decode()
    assert reverse("lti_pages:fill_from_roster", args=[cohort.pk]) in members_page
    page = client.get(reverse("lti_pages:fill_from_roster", args=[cohort.pk]))
    assert page.status_code == 200
    assert "Safeguarding 101" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("lti_pages:fill_from_roster", args=[cohort.pk]), {"context": context.pk}
        )

    roster_import = RosterImport.objects.get()
    assert response["Location"] == reverse("lti_pages:roster_import", args=[roster_import.uuid])
    assert roster_import.status == RosterImport.Status.DONE
    assert (roster_import.added, roster_import.skipped) == (3, 1)
    # The teacher and the learner who left are read but are not learners to add.
    assert (roster_import.read, roster_import.learners) == (6, 4)
    members = set(CohortMember.objects.filter(cohort=cohort).values_list("user__email", flat=True))
    assert already.email in members
    assert "new@school.example" in members
    assert taken.email not in members
    assert "teacher@school.example" not in members
    assert not User.objects.filter(email="teacher@school.example").exists()
    assert ROSTER_SCOPE in set().union(*platform.tokens.values())
    assert client.get(response["Location"]).status_code == 200


def test_a_trainer_of_another_organisation_cannot_use_the_roster(
    client, platform, registered, organisation
):
    cohort = Cohort.objects.create(organisation=organisation, name="Year 9 staff")
    other = UserFactory(role="Trainer", email="other@elsewhere.example")
    other.memberships.create(organisation=OrganisationFactory(name="Elsewhere"))
    sign_in_with_totp(client, other, enrol_totp(other))

    assert client.get(reverse("lti_pages:fill_from_roster", args=[cohort.pk])).status_code == 404


def frame_ancestors(response):
    policy = response["Content-Security-Policy"]
    [directive] = [part.strip() for part in policy.split(";") if "frame-ancestors" in part]
    return directive


def test_launches_are_never_framed_unless_the_registration_allows_it(
    client, platform, registered, course
):
    response = launch(
        client, platform, registered, **{CLAIM + "custom": {"course": str(course.pk)}}
    )
    assert frame_ancestors(response) == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_an_allowed_platform_frames_the_launch_pages_and_nothing_else(
    client, platform, organisation, course
):
    registered = register(platform, organisation, allow_framing="on")

    response = launch(
        client, platform, registered, **{CLAIM + "custom": {"course": str(course.pk)}}
    )
    picker = launch(client.__class__(), platform, registered, token=platform.deep_linking_token)

    for page in (response, picker):
        assert frame_ancestors(page) == f"frame-ancestors {platform.origin}"
        assert "X-Frame-Options" not in page
    course_page = client.get(course.url)
    assert frame_ancestors(course_page) == "frame-ancestors 'none'"
    assert course_page["X-Frame-Options"] == "DENY"


def test_a_framed_launch_opens_the_course_in_a_new_window_signed_in_once(
    client, platform, organisation, course
):
    registered = register(platform, organisation, allow_framing="on")

    framed = launch(
        client,
        platform,
        registered,
        fetch_dest="iframe",
        **{CLAIM + "custom": {"course": str(course.pk)}},
    )

    assert framed.status_code == 200
    assert frame_ancestors(framed) == f"frame-ancestors {platform.origin}"
    link = BeautifulSoup(framed.content, "html.parser").find("a", href=re.compile("/lti/continue/"))
    assert link["target"] == "_blank"
    assert "(opens in a new window)" in link.get_text()
    learner = framed.wsgi_request.user
    # The new window is a browser of its own as far as cookies go: the frame's are gone.
    window = client.__class__()
    opened = window.get(link["href"])
    assert opened.status_code == 302
    assert opened["Location"] == course.url
    assert window.get(course.url).wsgi_request.user == learner
    # The link signs in once only.
    again = client.__class__().get(link["href"])
    assert again.status_code == 404
    assert "This link no longer works" in again.content.decode()


def test_a_framed_launch_link_older_than_five_minutes_signs_nobody_in(
    client, platform, organisation, course
):
    registered = register(platform, organisation, allow_framing="on")
    framed = launch(
        client,
        platform,
        registered,
        fetch_dest="iframe",
        **{CLAIM + "custom": {"course": str(course.pk)}},
    )
    link = BeautifulSoup(framed.content, "html.parser").find("a", href=re.compile("/lti/continue/"))

    later = time.time() + 301
    with mock.patch("django.core.signing.time.time", return_value=later):
        opened = client.__class__().get(link["href"])

    assert opened.status_code == 404
    assert not opened.wsgi_request.user.is_authenticated


def test_a_platform_not_allowed_to_frame_gets_the_course_itself(
    client, platform, registered, course
):
    response = launch(
        client,
        platform,
        registered,
        fetch_dest="iframe",
        **{CLAIM + "custom": {"course": str(course.pk)}},
    )
    assert response.status_code == 302
    assert response["Location"] == course.url
