"""Issuing from two requests at once, on a real database server."""

import pytest
from django.utils import timezone

from certificates.issuing import issue_certificate_for
from certificates.models import Certificate
from courses.models import Enrolment
from tests.concurrency import needs_postgresql, run_together
from tests.factories import UserFactory, make_course


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issuing_makes_one_certificate():
    course = make_course("Core course", lessons=1)
    learner = UserFactory(role="Learner")
    enrolment = Enrolment.objects.create(user=learner, course=course, completed_at=timezone.now())

    def issue():
        return issue_certificate_for(Enrolment.objects.get(pk=enrolment.pk)).pk

    issued, errors = run_together(issue, issue, issue, timeout=60)

    assert not errors
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert len(set(issued)) == 1
