"""Issuing from two requests at once, on a real database server."""

import threading

import pytest
from django.db import connection, connections

from certificates.issuing import issue_certificate_for
from certificates.models import Certificate
from courses.models import Enrolment
from tests.factories import UserFactory, make_course


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a database server; CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issuing_makes_one_certificate():
    from django.utils import timezone

    course = make_course("Core course", lessons=1)
    learner = UserFactory(role="Learner")
    enrolment = Enrolment.objects.create(user=learner, course=course, completed_at=timezone.now())
    barrier = threading.Barrier(3)
    issued, errors = [], []

    def issue():
        try:
            barrier.wait(timeout=10)
            issued.append(issue_certificate_for(Enrolment.objects.get(pk=enrolment.pk)).pk)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert len(set(issued)) == 1
