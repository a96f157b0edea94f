import datetime

import pytest
from django.utils import timezone

from accounts.models import Membership
from cohorts.assigning import add_member, assign
from courses.models import Enrolment
from tests.cohorts.conftest import Force
from tests.factories import UserFactory, make_course


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


class Organisation:
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
    return Organisation(force_x)
