import datetime

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Membership
from cohorts.assigning import add_member, assign
from cohorts.models import Cohort
from courses.models import Enrolment
from tests.cohorts.conftest import Force
from tests.factories import OrganisationFactory, UserFactory, make_api_token, make_course
from tests.signing_in import enrol_totp, sign_in_with_totp


class Organisation:
    """An organisation with a trainer, a cohort of learners with a course set, and an API
    client holding one of its tokens."""

    def __init__(self, name, learners=3):
        self.organisation = OrganisationFactory(name=name)
        self.trainer = UserFactory(role="Trainer", organisation=self.organisation)
        self.cohort = Cohort.objects.create(
            organisation=self.organisation, name=f"Cohort of {name}", created_by=self.trainer
        )
        self.learners = []
        for _ in range(learners):
            self.add_learner()
        self.token, self.key = make_api_token(self.organisation, created_by=self.trainer)
        self.api = Client(HTTP_AUTHORIZATION=f"Bearer {self.key}")

    def add_learner(self, **kwargs):
        learner = UserFactory(role="Learner", organisation=self.organisation, **kwargs)
        add_member(self.cohort, learner)
        self.learners.append(learner)
        return learner

    def assign(self, course, days=10, **kwargs):
        if "user" not in kwargs:
            kwargs.setdefault("cohort", self.cohort)
        return assign(
            course,
            timezone.localdate() + datetime.timedelta(days=days),
            self.organisation,
            self.trainer,
            **kwargs,
        )

    def signed_in_trainer(self):
        client = Client()
        sign_in_with_totp(client, self.trainer, enrol_totp(self.trainer))
        return client


@pytest.fixture
def org_x(db):
    return Organisation("Organisation X")


@pytest.fixture
def org_y(db):
    return Organisation("Organisation Y")


@pytest.fixture
def course(db):
    return make_course("Core course", lessons=2)


@pytest.fixture
def force_x(db):
    return Force("Force X")


@pytest.fixture
def force_y(db):
    return Force("Force Y")


def set_staff_number(user, organisation, number):
    Membership.objects.filter(user=user, organisation=organisation).update(staff_number=number)


def learner_in(force, name, staff_number=""):
    learner = UserFactory(role="Learner", organisation=force.organisation, display_name=name)
    set_staff_number(learner, force.organisation, staff_number)
    return learner


def record_progress(learner, course, items_done=0, completed=False):
    """The figures the dashboards read, as learning.progress_summary keeps them."""
    Enrolment.objects.filter(user=learner, course=course).update(
        items_done=items_done, completed_at=timezone.now() if completed else None
    )


class ReportedOrganisation:
    """Force X with a cohort of three (one done, one started, one idle) on a course due
    in ten days, and a learner given another course directly, already past due."""

    def __init__(self, force):
        self.force = force
        today = timezone.localdate()
        self.course = make_course("Core course", lessons=3)
        self.other_course = make_course("Airport course", lessons=2)
        self.cohort = force.cohort("Response officers")
        self.done = learner_in(force, "Ada Done", "PC 101")
        self.started = learner_in(force, "Ben Started", "PC 102")
        self.idle = learner_in(force, "Cal Idle", "")
        for learner in (self.done, self.started, self.idle):
            add_member(self.cohort, learner)
        assign(
            self.course,
            today + datetime.timedelta(days=10),
            force.organisation,
            force.trainer,
            cohort=self.cohort,
        )
        self.direct = learner_in(force, "Dee Direct", "ESR-9")
        assign(
            self.other_course,
            today - datetime.timedelta(days=3),
            force.organisation,
            force.trainer,
            user=self.direct,
        )
        record_progress(self.done, self.course, items_done=3, completed=True)
        record_progress(self.started, self.course, items_done=1)


@pytest.fixture
def organisation(force_x):
    return ReportedOrganisation(force_x)
