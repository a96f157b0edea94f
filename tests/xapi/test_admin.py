"""Administrators set up an organisation's LRS in the admin; the secret, once saved, is
never shown back, and only an https:// address is accepted."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.admin_listing import listing_row, outbox_columns
from tests.factories import OrganisationFactory, UserFactory
from tests.signing_in import enrol_totp, sign_in_with_totp
from xapi.models import LearningRecordStore, StatementDelivery

pytestmark = pytest.mark.django_db

SECRET = "s3cret-the-lrs-gave-us"


@pytest.fixture
def admin_client():
    admin = UserFactory(is_superuser=True, is_staff=True, email="admin@example.org")
    client = Client()
    sign_in_with_totp(client, admin, enrol_totp(admin))
    return client


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Northshire Police", sector="police")


def form(organisation, **values):
    data = {
        "organisation": str(organisation.pk),
        "endpoint": "https://lrs.northshire.example/xAPI/",
        "key": "recognise",
        "secret": SECRET,
        "enabled": "on",
    }
    data.update(values)
    return data


def test_an_administrator_adds_an_lrs_and_never_sees_the_secret_again(admin_client, organisation):
    response = admin_client.post(reverse("learning_record_stores:add"), form(organisation))
    assert response.status_code == 302
    store = LearningRecordStore.objects.get()
    assert store.secret == SECRET

    listing = admin_client.get(reverse("learning_record_stores:index")).content.decode()
    assert "Northshire Police" in listing
    assert SECRET not in listing
    page = admin_client.get(reverse("learning_record_stores:edit", args=[store.pk]))
    content = page.content.decode()
    assert "https://lrs.northshire.example/xAPI/" in content
    assert SECRET not in content
    assert "Leave empty to keep the secret already saved." in content


def test_saving_without_a_secret_keeps_the_one_saved_and_a_new_one_replaces_it(
    admin_client, organisation
):
    store = LearningRecordStore.objects.create(
        organisation=organisation, endpoint="https://old.example/xAPI/", key="k", secret=SECRET
    )
    edit = reverse("learning_record_stores:edit", args=[store.pk])
    response = admin_client.post(edit, form(organisation, secret=""))
    assert response.status_code == 302
    store.refresh_from_db()
    assert store.secret == SECRET
    assert store.endpoint == "https://lrs.northshire.example/xAPI/"

    admin_client.post(edit, form(organisation, secret="a-new-secret"))
    store.refresh_from_db()
    assert store.secret == "a-new-secret"


def test_a_new_lrs_needs_a_secret(admin_client, organisation):
    response = admin_client.post(
        reverse("learning_record_stores:add"), form(organisation, secret="")
    )
    assert response.status_code == 200
    assert "Enter the secret the LRS gave you." in response.content.decode()
    assert not LearningRecordStore.objects.exists()


def test_only_an_https_address_is_accepted(admin_client, organisation):
    response = admin_client.post(
        reverse("learning_record_stores:add"),
        form(organisation, endpoint="http://lrs.northshire.example/xAPI/"),
    )
    assert response.status_code == 200
    assert "Enter an https:// address: statements name your learners." in (
        response.content.decode()
    )
    assert not LearningRecordStore.objects.exists()


def test_an_organisation_has_one_lrs(admin_client, organisation):
    LearningRecordStore.objects.create(
        organisation=organisation, endpoint="https://old.example/xAPI/", key="k", secret=SECRET
    )
    response = admin_client.post(reverse("learning_record_stores:add"), form(organisation))
    assert response.status_code == 200
    assert LearningRecordStore.objects.count() == 1


def outbox_of(store, learner, **counts):
    """Statements for a store, so many of each status ("pending", "sent", "failed")."""
    for status, number in counts.items():
        for _ in range(number):
            StatementDelivery.objects.create(
                store=store,
                learner=learner,
                statement={},
                status=status,
                sent_at=timezone.now() if status == "sent" else None,
            )


def row_of(client, name):
    return listing_row(client, reverse("learning_record_stores:index"), name)


def test_the_list_shows_what_waits_what_was_given_up_and_when_a_statement_last_arrived(
    admin_client, organisation, django_assert_max_num_queries
):
    learner = UserFactory(email="sam@northshire.example")
    quiet = OrganisationFactory(name="Westshire Council", sector="childrens-social-care")
    store = LearningRecordStore.objects.create(
        organisation=organisation, endpoint="https://lrs.example/xAPI/", key="k", secret=SECRET
    )
    LearningRecordStore.objects.create(
        organisation=quiet, endpoint="https://lrs.west.example/xAPI/", key="k", secret=SECRET
    )
    outbox_of(store, learner, pending=3, failed=2, sent=4)

    northshire, westshire = (
        row_of(admin_client, name) for name in ("Northshire Police", "Westshire Council")
    )

    assert outbox_columns(northshire) == ("3", "2", True)
    assert outbox_columns(westshire) == ("0", "0", False)

    # One query for the stores and their outboxes, however many statements they hold.
    with django_assert_max_num_queries(20) as few:
        admin_client.get(reverse("learning_record_stores:index"))
    outbox_of(store, learner, pending=30, sent=30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(reverse("learning_record_stores:index"))
    assert row_of(admin_client, "Northshire Police")[-3] == "33"
