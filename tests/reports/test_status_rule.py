"""learning.rules.status_of, used for the API's rows, says what status() says in the
database for every combination of a learner's figures."""

import datetime
import itertools

from django.utils import timezone

from courses.models import Enrolment
from learning.rules import status, status_of
from tests.factories import UserFactory


def test_status_of_agrees_with_the_query_rule(course):
    today = timezone.localdate()
    combinations = itertools.product(
        [None, timezone.now()],  # completed
        [None, today - datetime.timedelta(days=1), today + datetime.timedelta(days=30)],
        [0, 2],  # items done
        [False, True],  # attempted
    )
    for completed_at, expires_on, items_done, attempted in combinations:
        Enrolment.objects.create(
            user=UserFactory(),
            course=course,
            completed_at=completed_at,
            certificate_expires_on=expires_on,
            items_done=items_done,
            attempted=attempted,
        )
    for due_date in (today - datetime.timedelta(days=1), today, today + datetime.timedelta(days=7)):
        for enrolment in Enrolment.objects.annotate(expected=status(due_date, today)):
            assert status_of(enrolment, due_date, today) == enrolment.expected
        assert status_of(None, due_date, today) == (
            "overdue" if due_date < today else "not_started"
        )
