import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cohorts.assigning import add_member, assign
from cohorts.models import Cohort
from tests.factories import OrganisationFactory, UserFactory, make_course
from tests.signing_in import enrol_totp, sign_in_with_totp


class Force:
    """A police force with a trainer (signed in with MFA) and some learners."""

    def __init__(self, name):
        self.organisation = OrganisationFactory(name=name)
        self.trainer = UserFactory(role="Trainer", organisation=self.organisation)
        self.client = Client()
        sign_in_with_totp(self.client, self.trainer, enrol_totp(self.trainer))

    def cohort(self, name="Intake 26A", learners=0):
        cohort = Cohort.objects.create(
            organisation=self.organisation, name=name, created_by=self.trainer
        )
        for _ in range(learners):
            add_member(cohort, UserFactory(role="Learner", organisation=self.organisation))
        return cohort


@pytest.fixture
def force_x(db):
    return Force("Force X")


@pytest.fixture
def force_y(db):
    return Force("Force Y")


@pytest.fixture
def course(db):
    return make_course("Core course", lessons=3)


@pytest.fixture
def assigned_cohort(force_x, course):
    cohort = force_x.cohort(learners=4)
    assign(
        course,
        timezone.localdate() + datetime.timedelta(days=10),
        force_x.organisation,
        force_x.trainer,
        cohort=cohort,
    )
    return cohort
