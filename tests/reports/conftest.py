import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cohorts.assigning import add_member, assign
from cohorts.models import Cohort
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
