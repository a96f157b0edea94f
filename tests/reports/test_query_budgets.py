"""Each page of the reporting API costs the same few queries however many learners,
assignments and cohorts the organisation has."""

import pytest
from django.urls import reverse

from accounts.models import Membership, User
from cohorts.models import Assignment, CohortMember
from courses.models import Enrolment
from tests.query_budgets import queries_for


def grow(org, course, size):
    """`size` more learners in the cohort, half of them enrolled, and a course set for
    the cohort and for each of a few learners alone."""
    users = User.objects.bulk_create(
        [
            User(email=f"bulk{size}-{n}@example.org", display_name=f"Learner {n:04d}")
            for n in range(size)
        ]
    )
    CohortMember.objects.bulk_create([CohortMember(cohort=org.cohort, user=user) for user in users])
    Membership.objects.bulk_create(
        [
            Membership(organisation=org.organisation, user=user, staff_number=f"S{n}")
            for n, user in enumerate(users)
        ]
    )
    Enrolment.objects.bulk_create([Enrolment(user=user, course=course) for user in users[::2]])
    org.assign(course)
    for user in users[:5]:
        org.assign(course, user=user)


@pytest.mark.parametrize("size", [5, 300])
@pytest.mark.parametrize("name", ["learners", "assignments", "statuses", "learner"])
def test_api_pages_keep_to_their_query_budget(org_x, course, size, name, production_cache):
    grow(org_x, course, size)
    args = [org_x.learners[0].pk] if name == "learner" else []
    url = reverse(f"reporting_api:{name}", args=args)
    count = queries_for(org_x.api, url, rendered=False)
    # The token, the audit entry, a page count, the page and what it names.
    assert count <= 8, f"{url}: {count} queries"
    assert Assignment.objects.filter(organisation=org_x.organisation).count() == 6
