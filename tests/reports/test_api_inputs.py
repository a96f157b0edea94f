"""Odd query values and headers get a 4xx with a message from the reporting API, never
a server error."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.site.test_fuzz import HOSTILE, ODD_PIECES

VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(ODD_PIECES), min_size=1, max_size=8).map("".join),
)
ENDPOINTS = ["learners", "assignments", "statuses"]


@pytest.mark.parametrize("name", ENDPOINTS)
def test_odd_query_values_never_cause_a_server_error(org_x, course, name):
    org_x.assign(course)
    url = reverse(f"reporting_api:{name}")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {org_x.key}", raise_request_exception=False)

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(page=VALUES, page_size=VALUES, updated_since=VALUES)
    def fuzz(page, page_size, updated_since):
        query = {"page": page, "page_size": page_size, "updated_since": updated_since}
        response = client.get(url, query)
        assert response.status_code < 500, (query, response.status_code)
        if response.status_code >= 400:
            assert response.content, query

    fuzz()


@pytest.mark.parametrize(
    "header",
    ["Bearer \x00", "Bearer ²²²", "Bearer rcg_" + "x" * 5000, "Bearer rcg_é", "bearer"],
)
def test_odd_authorization_headers_are_401(org_x, header):
    client = Client(HTTP_AUTHORIZATION=header, raise_request_exception=False)
    response = client.get(reverse("reporting_api:learners"))
    assert response.status_code == 401
    assert response.json()["detail"]


def test_an_odd_learner_id_is_404(org_x):
    response = org_x.api.get("/api/v1/reports/learners/99999999999999999999999/")
    assert response.status_code == 404
