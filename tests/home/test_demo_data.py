import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Membership, Organisation, User
from courses.models import CoursePage
from quizzes.models import Question
from recognise.demo.cohorts import COHORT_SIZE
from recognise.demo.people import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from recognise.home.models import HomePage
from tests.signing_in import totp_code

pytestmark = pytest.mark.django_db


def counts():
    return {
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
        "emails": EmailAddress.objects.count(),
        "authenticators": Authenticator.objects.count(),
        "home pages": HomePage.objects.count(),
        "home revisions": sum(page.revisions.count() for page in HomePage.objects.all()),
    }


def test_demo_data_runs_twice_without_duplicating_anything(demo_data):
    # demo_data is the demo as load_demo_data left it (loaded once for the whole suite).
    first = counts()
    call_command("load_demo_data")
    assert counts() == first
    # One account per role, plus the demo trainer's cohort of officers.
    assert first["users"] == len(DEMO_ACCOUNTS) + COHORT_SIZE
    assert first["home pages"] == 2  # English and Welsh


def test_demo_data_is_refused_outside_development(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_demo_data")
    assert not User.objects.exists()


def test_every_demo_role_can_sign_in(client, demo_data):
    for demo in DEMO_ACCOUNTS:
        client.logout()
        response = client.post(
            reverse("account_login"), {"login": demo.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, demo.email
        if demo.needs_mfa:
            assert response.url == reverse("mfa_authenticate"), demo.email
            # Replay protection is per account, so the same current code serves each one.
            response = client.post(
                reverse("mfa_authenticate"), {"code": totp_code(DEMO_TOTP_SECRET)}
            )
            assert response.status_code == 302, demo.email
        assert client.get(reverse("accounts:profile")).status_code == 200, demo.email


def test_staff_demo_accounts_reach_their_areas(client, demo_data):
    client.post(
        reverse("account_login"), {"login": "editor@example.org", "password": DEMO_PASSWORD}
    )
    client.post(reverse("mfa_authenticate"), {"code": totp_code(DEMO_TOTP_SECRET)})
    assert client.get("/admin/").status_code == 200


def test_demo_addresses_are_inside_their_organisations_verified_domains(demo_data):
    for membership in Membership.objects.select_related("user", "organisation"):
        assert membership.organisation.has_verified_domain(membership.user.email), membership
    unit = Organisation.objects.get(slug="demo-constabulary-public-protection")
    assert unit.verified_domains() == {"example.org"}


def test_demo_ngo_editors_reach_only_their_own_courses_questions(client, demo_data):
    core = CoursePage.objects.get(slug="recognising-and-responding", locale__language_code="en")
    # The core final draws its questions from the core course's pools.
    core_question = Question.objects.filter(
        category__course=core, category__slug="core", scenario__isnull=True, live=True
    ).first()
    ngo_question = Question.objects.filter(
        category__course__slug="ngo-and-voluntary-sector", locale__language_code="en"
    ).first()
    # The demo's questions, and their Welsh translations, are live.
    assert not Question.objects.filter(live=False).exists()
    assert Question.objects.filter(locale__language_code="cy").exists()

    def edit_statuses(email, *questions):
        client.logout()
        client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
        client.post(reverse("mfa_authenticate"), {"code": totp_code(DEMO_TOTP_SECRET)})
        return [
            client.get(
                reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk]), follow=True
            ).status_code
            for question in questions
        ]

    # Demo Youth Support Network's editor reaches neither; Demo Children's Charity
    # contributes to the NGO course.
    assert edit_statuses("editor2@example.org", core_question, ngo_question) == [404, 404]
    assert edit_statuses("editor@example.org", core_question, ngo_question) == [404, 200]
    assert edit_statuses("publisher@example.org", core_question, ngo_question) == [200, 200]
