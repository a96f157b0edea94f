"""Filling a cohort from a platform course's roster at the sizes forces have: rosters
read across many pages, a roster that never ends stopped and reported, new accounts
made in bulk in a fixed number of queries, and a failure that adds nobody."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from lti_tool.models import LtiContext, LtiUser

import lti.tasks
from accounts.models import User
from audit.models import Action, AuditEvent
from cohorts.models import Cohort, CohortMember
from lti import services
from lti.models import RosterImport
from tests.factories import UserFactory, make_course
from tests.query_budgets import counting_queries, production_cache  # noqa: F401 (a fixture)
from tests.signing_in import enrol_totp, sign_in_with_totp

from .conftest import launch
from .platform import CLAIM, INSTRUCTOR, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_course(platform, registered):
    """The platform course, known once a learner has launched from it."""
    course = make_course("Recognising trafficked children", sectors=("education",), lessons=1)
    launch(Client(), platform, registered, **{CLAIM + "custom": {"course": str(course.pk)}})
    return LtiContext.objects.get()


@pytest.fixture
def trainer_client(client, organisation):
    trainer = UserFactory(role="Trainer", email="trainer@school.example")
    trainer.memberships.create(organisation=organisation)
    sign_in_with_totp(client, trainer, enrol_totp(trainer))
    return client


@pytest.fixture
def cohort(organisation):
    return Cohort.objects.create(organisation=organisation, name="September intake")


def roster_of(count, start=100, domain="school.example"):
    return [
        member(f"moodle-user-{n}", f"learner-{n}@{domain}", f"Learner {n}")
        for n in range(start, start + count)
    ]


def fill(client, cohort, context, capture):
    with capture(execute=True):
        response = client.post(
            reverse("lti_pages:fill_from_roster", args=[cohort.pk]), {"context": context.pk}
        )
    assert response.status_code == 302
    roster_import = RosterImport.objects.latest("created_at")
    assert response["Location"] == reverse("lti_pages:roster_import", args=[roster_import.uuid])
    return roster_import, page_text(client.get(response["Location"]))


def page_text(response):
    return page_text_of(BeautifulSoup(response.content, "html.parser"))


def test_a_roster_of_many_pages_is_read_to_its_end(
    trainer_client,
    platform,
    platform_course,
    cohort,
    django_capture_on_commit_callbacks,
):
    platform.page_size = 7
    platform.members = roster_of(45) + [
        member("moodle-user-900", "teacher@school.example", "A Teacher", roles=[INSTRUCTOR])
    ]

    roster_import, page = fill(
        trainer_client, cohort, platform_course, django_capture_on_commit_callbacks
    )

    assert platform.roster_pages_served == 7
    assert roster_import.status == RosterImport.Status.DONE
    assert (roster_import.read, roster_import.learners, roster_import.added) == (46, 45, 45)
    assert roster_import.cut_short == ""
    assert CohortMember.objects.filter(cohort=cohort).count() == 45
    assert "The platform course's roster has 46 members, of whom 45 are active" in page
    assert "45 learners added to the cohort." in page
    assert "Not everyone on the roster was read" not in page


def test_a_roster_whose_pages_loop_is_stopped_and_the_trainer_told(
    trainer_client, platform, platform_course, cohort, django_capture_on_commit_callbacks
):
    platform.page_size = 5
    platform.loop_roster = True
    platform.members = roster_of(12)

    roster_import, page = fill(
        trainer_client, cohort, platform_course, django_capture_on_commit_callbacks
    )

    # Pages 1 to 3, then page 1 again under the address the last page links to; its
    # link to page 2 is one already read.
    assert platform.roster_pages_served == 4
    assert roster_import.status == RosterImport.Status.DONE
    assert roster_import.cut_short == RosterImport.CutShort.REPEATED_PAGE
    # Someone listed twice is counted and added once.
    assert (roster_import.read, roster_import.added) == (12, 12)
    assert "Not everyone on the roster was read." in page
    assert "sent a page of the roster a second time" in page


@pytest.mark.parametrize(
    ("limit", "cut_short", "read", "says"),
    [
        (("MAX_ROSTER_MEMBERS", 10), RosterImport.CutShort.TOO_MANY_MEMBERS, 10, "10 members"),
        (("MAX_ROSTER_PAGES", 3), RosterImport.CutShort.TOO_MANY_PAGES, 12, "3 pages"),
    ],
)
def test_a_roster_over_the_limits_is_cut_short_and_says_so(
    trainer_client,
    platform,
    platform_course,
    cohort,
    django_capture_on_commit_callbacks,
    monkeypatch,
    limit,
    cut_short,
    read,
    says,
):
    monkeypatch.setattr(services, *limit)
    platform.page_size = 4
    platform.members = roster_of(25)

    roster_import, page = fill(
        trainer_client, cohort, platform_course, django_capture_on_commit_callbacks
    )

    assert roster_import.status == RosterImport.Status.DONE
    assert roster_import.cut_short == cut_short
    assert (roster_import.read, roster_import.added) == (read, read)
    assert CohortMember.objects.filter(cohort=cohort).count() == read
    assert platform.roster_pages_served == 3
    assert "Not everyone on the roster was read." in page
    assert f"A roster is read up to {says}, and this one has more." in page
    assert "Add the others with an address file" in page


def test_a_next_page_on_another_site_is_not_followed(
    trainer_client, platform, platform_course, cohort, django_capture_on_commit_callbacks
):
    platform.members = roster_of(4)
    LtiContext.objects.filter(pk=platform_course.pk).update(
        memberships_url=platform.memberships_url.replace("127.0.0.1", "localhost")
    )
    platform_course.refresh_from_db()

    roster_import, page = fill(
        trainer_client, cohort, platform_course, django_capture_on_commit_callbacks
    )

    # The first page, on localhost, links its next page on 127.0.0.1.
    assert roster_import.status == RosterImport.Status.FAILED
    assert "another site" in roster_import.error
    assert not CohortMember.objects.filter(cohort=cohort).exists()
    assert "so nobody was added" in page


@pytest.mark.usefixtures("production_cache")
def test_new_accounts_are_made_in_a_fixed_number_of_queries(
    platform, registered, platform_course, cohort
):
    def queries_to_import(count, start):
        platform.members = roster_of(count, start=start)
        roster_import = RosterImport.objects.create(context=platform_course, cohort=cohort)
        with counting_queries() as queries:
            lti.tasks.import_roster.call(str(roster_import.uuid))
        roster_import.refresh_from_db()
        assert roster_import.added == count
        return len(queries)

    assert queries_to_import(4, start=100) == queries_to_import(60, start=200)


def test_roster_accounts_are_learners_linked_to_the_platform(
    trainer_client,
    client,
    platform,
    registered,
    platform_course,
    cohort,
    organisation,
    django_capture_on_commit_callbacks,
):
    existing = UserFactory(email="taken@school.example", role="Learner")
    platform.members = [
        member("moodle-user-20", "Ann.Other@School.example", "Ann Other"),
        # The same address twice: the first gets the account, the second is skipped.
        member("moodle-user-21", "twin@school.example", "Twin One"),
        member("moodle-user-22", "twin@school.example", "Twin Two"),
        member("moodle-user-23", "not an address", "No Address"),
        member("moodle-user-24", "TAKEN@school.example", "Someone Else"),
    ]

    roster_import, _page = fill(
        trainer_client, cohort, platform_course, django_capture_on_commit_callbacks
    )

    assert (roster_import.added, roster_import.skipped) == (3, 2)
    ann = User.objects.get(email="ann.other@school.example")
    assert ann.display_name == "Ann Other"
    assert ann.natural_name
    assert not ann.has_usable_password()
    assert list(ann.groups.values_list("name", flat=True)) == ["Learner"]
    assert ann.memberships.filter(organisation=organisation).exists()
    no_address = LtiUser.objects.get(sub="moodle-user-23").auth_user
    assert no_address.email.endswith("@lti.invalid")
    assert not existing.cohort_memberships.exists()
    assert AuditEvent.objects.filter(
        action=Action.ROLE_ADDED, data__user_id=ann.pk, data__role="Learner"
    ).exists()
    assert Group.objects.get(name="Learner").user_set.filter(pk=ann.pk).exists()

    # Ann's first launch signs her in to the account the roster made for her.
    learner = Client()
    launch(learner, platform, registered, sub="moodle-user-20")
    assert learner.get(reverse("learning:my_learning")).context["user"].pk == ann.pk


def test_an_account_made_meanwhile_makes_the_import_add_nobody(
    trainer_client,
    platform,
    platform_course,
    cohort,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    platform.members = roster_of(5)
    make_learners = lti.tasks.create_learners

    def someone_signs_up_first(people):
        # Between the check for addresses in use and the new accounts being saved.
        UserFactory(email=people[-1][0])
        return make_learners(people)

    monkeypatch.setattr(lti.tasks, "create_learners", someone_signs_up_first)

    roster_import, page = fill(
        trainer_client, cohort, platform_course, django_capture_on_commit_callbacks
    )

    assert roster_import.status == RosterImport.Status.FAILED
    assert roster_import.failure == RosterImport.Failure.ACCOUNTS_CHANGED
    assert not CohortMember.objects.filter(cohort=cohort).exists()
    assert not User.objects.filter(email="learner-100@school.example").exists()
    assert "so nobody was added. Start again" in page


def test_pressing_twice_starts_one_import_and_its_page_shows_progress(
    trainer_client, platform, platform_course, cohort
):
    path = reverse("lti_pages:fill_from_roster", args=[cohort.pk])
    first = trainer_client.post(path, {"context": platform_course.pk})
    RosterImport.objects.update(status=RosterImport.Status.RUNNING, read=1200)

    second = trainer_client.post(path, {"context": platform_course.pk})

    assert second["Location"] == first["Location"]
    assert RosterImport.objects.count() == 1
    page = page_text(trainer_client.get(first["Location"]))
    assert "Reading the roster" in page
    assert "1200 members read so far." in page


def test_an_import_under_way_updates_its_page_and_a_finished_one_does_not(
    trainer_client, platform, platform_course, cohort, django_capture_on_commit_callbacks
):
    path = reverse("lti_pages:fill_from_roster", args=[cohort.pk])
    page_path = trainer_client.post(path, {"context": platform_course.pk})["Location"]
    roster_import = RosterImport.objects.get()
    progress_path = reverse("lti_pages:roster_import_progress", args=[roster_import.uuid])
    RosterImport.objects.update(status=RosterImport.Status.RUNNING, read=350)

    page = BeautifulSoup(trainer_client.get(page_path).content, "html.parser")
    panel = page.find(attrs={"data-job-progress": True})
    assert panel["data-job-progress"] == progress_path
    assert page.find("progress").get("value") is None  # how long a roster is, nobody knows
    assert page.find(id="job-progress-text").get_text() == (
        "Reading the roster. 350 members read so far."
    )
    figures = trainer_client.get(progress_path).json()
    assert figures["finished"] is False
    assert (figures["done"], figures["total"]) == (350, 0)
    assert figures["text"] == "Reading the roster. 350 members read so far."

    RosterImport.objects.update(status=RosterImport.Status.DONE, read=400, learners=380, added=380)

    assert trainer_client.get(progress_path).json()["finished"] is True
    page = BeautifulSoup(trainer_client.get(page_path).content, "html.parser")
    assert page.find(attrs={"data-job-progress": True}) is None
    assert "380 learners added to the cohort." in page_text_of(page)


def page_text_of(soup):
    return " ".join(soup.find("main").get_text(" ").split())
