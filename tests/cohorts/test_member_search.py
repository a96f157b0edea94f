"""Finding learners in a large cohort: search by name or address, names in the order
people read them, in the database a page at a time."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from accounts.natural_names import natural_key
from cohorts.assigning import assign
from cohorts.models import CohortMember
from tests.factories import UserFactory
from tests.query_budgets import queries_for

pytestmark = pytest.mark.django_db


def names_on(response):
    return [row.display_name for row in response.context["page_obj"]]


def test_natural_key_orders_numbers_by_value_and_ignores_case_and_accents():
    names = ["Load 10", "load 2", "Load 1", "Émile 3", "emile 20", "Zoe", "Load 02a"]
    assert sorted(names, key=natural_key) == [
        "Émile 3",
        "emile 20",
        "Load 1",
        "load 2",
        "Load 02a",
        "Load 10",
        "Zoe",
    ]


def test_the_key_follows_every_name_change():
    person = UserFactory(display_name="Load 10")
    assert person.natural_name == natural_key("Load 10")
    person.display_name = "Load 9"
    person.save(update_fields=["display_name"])
    person.refresh_from_db()
    assert person.natural_name == natural_key("Load 9")


def test_member_list_and_dashboard_sort_names_naturally(force_x, course):
    cohort = force_x.cohort()
    for name in ("Load 10", "Load 2", "load 1", "Load 11"):
        user = UserFactory(display_name=name, role="Learner", organisation=force_x.organisation)
        CohortMember.objects.create(cohort=cohort, user=user)
    expected = ["load 1", "Load 2", "Load 10", "Load 11"]
    members = force_x.client.get(reverse("cohorts:member_list", args=[cohort.pk]))
    assert names_on(members) == expected
    assign(course, timezone.localdate(), force_x.organisation, force_x.trainer, cohort=cohort)
    dashboard = force_x.client.get(reverse("cohorts:dashboard", args=[cohort.pk]))
    assert names_on(dashboard) == expected


def test_search_finds_names_and_addresses_whatever_the_case(force_x, course):
    cohort = force_x.cohort()
    for name, email in (
        ("Siân Llŷr", "sian@example.org"),
        ("Rhys Evans", "rhys.evans@example.org"),
        ("Amir Khan", "AKhan@Example.org"),
    ):
        CohortMember.objects.create(
            cohort=cohort,
            user=UserFactory(display_name=name, email=email, organisation=force_x.organisation),
        )
    assign(course, timezone.localdate(), force_x.organisation, force_x.trainer, cohort=cohort)
    members = reverse("cohorts:member_list", args=[cohort.pk])
    dashboard = reverse("cohorts:dashboard", args=[cohort.pk])
    for url in (members, dashboard):
        assert names_on(force_x.client.get(url, {"q": "EVANS"})) == ["Rhys Evans"]
        assert names_on(force_x.client.get(url, {"q": "akhan@"})) == ["Amir Khan"]
        # Accents need not be typed; typed ones still match.
        assert names_on(force_x.client.get(url, {"q": "sian llyr"})) == ["Siân Llŷr"]
        assert names_on(force_x.client.get(url, {"q": "LLŶR"})) == ["Siân Llŷr"]
        assert names_on(force_x.client.get(url, {"q": "nobody"})) == []
    # The search is kept when moving between pages and sorts.
    response = force_x.client.get(dashboard, {"q": "evans"})
    assert "q=evans" in response.context["sort_links"]["name"]


def bulk_learners(force_x, cohort, course, size):
    names = [f"Load {n}" for n in range(size, 0, -1)]
    users = User.objects.bulk_create(
        [
            User(
                email=f"bulk{size}-{n}@example.org",
                display_name=name,
                natural_name=natural_key(name),
            )
            for n, name in enumerate(names)
        ]
    )
    CohortMember.objects.bulk_create([CohortMember(cohort=cohort, user=user) for user in users])
    Membership.objects.bulk_create(
        [Membership(organisation=force_x.organisation, user=user) for user in users]
    )


@pytest.mark.parametrize("size", [12, 1200])
def test_member_list_and_search_queries_do_not_grow_with_learners(
    force_x, course, size, production_cache
):
    cohort = force_x.cohort()
    assign(
        course,
        timezone.localdate() + datetime.timedelta(days=3),
        force_x.organisation,
        force_x.trainer,
        cohort=cohort,
    )
    bulk_learners(force_x, cohort, course, size)
    members = reverse("cohorts:member_list", args=[cohort.pk])
    dashboard = reverse("cohorts:dashboard", args=[cohort.pk])

    assert queries_for(force_x.client, members) == MEMBER_LIST_QUERIES
    assert queries_for(force_x.client, members, data={"q": "load 1"}) == MEMBER_LIST_QUERIES
    assert queries_for(force_x.client, dashboard, data={"q": "load 1"}) == DASHBOARD_SEARCH_QUERIES
    first = force_x.client.get(members)
    assert names_on(first)[:3] == ["Load 1", "Load 2", "Load 3"]
    last = force_x.client.get(members, {"page": first.context["page_obj"].paginator.num_pages})
    assert names_on(last)[-1] == f"Load {size}"


# Session, user and cohort, then one count and one page of learners.
MEMBER_LIST_QUERIES = 4
# The dashboard's kept figures do not count a search, so its rows are counted once.
DASHBOARD_SEARCH_QUERIES = 6
