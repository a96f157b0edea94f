"""Administrators register an organisation's learning platform in the admin; the page
shows the tool's own addresses to copy into the platform, and the tool's key set
publishes its public key only."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lti_tool.models import Key, LtiDeployment, LtiUser

from lti.models import GradeDelivery, PlatformRegistration
from lti.platforms import platforms_in_use
from tests.admin_listing import listing_row, outbox_columns
from tests.factories import OrganisationFactory, UserFactory
from tests.query_budgets import production_cache  # noqa: F401 (a fixture)
from tests.signing_in import enrol_totp, sign_in_with_totp

from .conftest import register

pytestmark = pytest.mark.django_db

MOODLE = "https://moodle.northshire.example"


@pytest.fixture
def admin_client():
    admin = UserFactory(is_superuser=True, is_staff=True, email="admin@example.org")
    client = Client()
    sign_in_with_totp(client, admin, enrol_totp(admin))
    return client


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Northshire Schools", sector="education")


def form(organisation, **values):
    return {
        "organisation": str(organisation.pk),
        "issuer": MOODLE,
        "client_id": "AbC123",
        "deployment_ids": "1\n2",
        "keyset_url": f"{MOODLE}/mod/lti/certs.php",
        "auth_url": f"{MOODLE}/mod/lti/auth.php",
        "token_url": f"{MOODLE}/mod/lti/token.php",
        "enabled": "on",
        **values,
    }


def test_an_administrator_registers_a_platform_and_sees_what_to_copy_into_it(
    admin_client, organisation
):
    add_page = admin_client.get(reverse("lti_platforms:add")).content.decode()
    assert "http://testserver/lti/jwks.json" in add_page
    assert "http://testserver/lti/launch/" in add_page

    response = admin_client.post(reverse("lti_platforms:add"), form(organisation))

    assert response.status_code == 302
    platform = PlatformRegistration.objects.get()
    registration = platform.registration
    assert (registration.issuer, registration.client_id) == (MOODLE, "AbC123")
    assert registration.token_url == f"{MOODLE}/mod/lti/token.php"
    assert set(
        LtiDeployment.objects.filter(is_active=True).values_list("deployment_id", flat=True)
    ) == {"1", "2"}
    edit_page = admin_client.get(reverse("lti_platforms:edit", args=[platform.pk]))
    content = edit_page.content.decode()
    assert f"http://testserver/lti/login/{registration.uuid}/" in content
    key = Key.objects.get()
    assert key.private_key not in content
    assert "PRIVATE KEY" not in content


def test_a_deployment_taken_off_the_list_stops_being_accepted(admin_client, organisation):
    admin_client.post(reverse("lti_platforms:add"), form(organisation))
    platform = PlatformRegistration.objects.get()

    admin_client.post(
        reverse("lti_platforms:edit", args=[platform.pk]), form(organisation, deployment_ids="2")
    )

    assert dict(LtiDeployment.objects.values_list("deployment_id", "is_active")) == {
        "1": False,
        "2": True,
    }


def test_the_same_platform_and_client_cannot_be_registered_twice(admin_client, organisation):
    admin_client.post(reverse("lti_platforms:add"), form(organisation))
    other = OrganisationFactory(name="Southshire Schools", sector="education")

    response = admin_client.post(reverse("lti_platforms:add"), form(other))

    assert response.status_code == 200
    assert "registered already" in response.content.decode()
    assert PlatformRegistration.objects.count() == 1


def test_the_key_set_publishes_the_public_key_only(client):
    keys = client.get(reverse("lti:jwks")).json()["keys"]

    assert len(keys) == 1
    [key] = keys
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
    assert {"d", "p", "q", "dp", "dq", "qi"}.isdisjoint(key)
    # The same key on every request: it is stored, not made afresh.
    assert client.get(reverse("lti:jwks")).json()["keys"] == keys


@pytest.mark.usefixtures("production_cache")
def test_whether_any_platform_is_registered_follows_the_registrations(platform, organisation):
    # Kept in the production cache, where a stale answer would lose a platform's scores.
    assert platforms_in_use() is False

    registered = register(platform, organisation)
    assert platforms_in_use() is True

    registered.registration.is_active = False
    registered.registration.save()
    assert platforms_in_use() is False

    registered.registration.delete()
    assert platforms_in_use() is False


def scores_outbox(registered, learner, pending=0, failed=0, sent=0):
    lti_user, _made = LtiUser.objects.get_or_create(
        registration=registered.registration, sub="moodle-user-7", defaults={"auth_user": learner}
    )
    for status, count in (("pending", pending), ("failed", failed), ("sent", sent)):
        for _number in range(count):
            GradeDelivery.objects.create(
                lti_user=lti_user,
                learner=learner,
                lineitem_url="https://moodle.example/lineitems/1",
                score={"scoreGiven": 1},
                status=status,
                sent_at=timezone.now() if status == "sent" else None,
            )


def row_of(client, name):
    return listing_row(client, reverse("lti_platforms:index"), name)


def test_the_list_shows_scores_waiting_given_up_and_when_one_last_arrived(
    admin_client, platform, organisation, django_assert_max_num_queries
):
    learner = UserFactory(email="sam@northshire.example")
    registered = register(platform, organisation)
    register(platform, OrganisationFactory(name="Westshire Council"), client_id="other-tool")
    scores_outbox(registered, learner, pending=3, failed=2, sent=4)

    northshire, westshire = (
        row_of(admin_client, name) for name in ("Northshire Schools", "Westshire Council")
    )

    assert outbox_columns(northshire) == ("3", "2", True)
    assert outbox_columns(westshire) == ("0", "0", False)

    # One query for the platforms and their outboxes, however many scores they hold.
    with django_assert_max_num_queries(20) as few:
        admin_client.get(reverse("lti_platforms:index"))
    scores_outbox(registered, learner, pending=30, sent=30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(reverse("lti_platforms:index"))
    assert row_of(admin_client, "Northshire Schools")[-3] == "33"
