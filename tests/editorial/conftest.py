import datetime

import pytest
from django.test import Client
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.factories import OrganisationFactory, UserFactory, make_guidance_section
from tests.signing_in import enrol_totp, sign_in_with_totp


class NGO:
    """A contributing NGO with its own guidance section and an editor."""

    def __init__(self, name):
        self.organisation = OrganisationFactory(name=name, sector="ngo")
        self.section = make_guidance_section(self.organisation)
        self.editor = UserFactory(role="NGO editor", organisation=self.organisation)
        self.secret = enrol_totp(self.editor)


@pytest.fixture
def ngo_a(db):
    return NGO("First Charity")


@pytest.fixture
def ngo_b(db):
    return NGO("Second Charity")


def staff_client(client_class, user):
    client = client_class()
    sign_in_with_totp(client, user, enrol_totp(user))
    return client


@pytest.fixture
def signed_in():
    """A separate signed-in client for each person in a workflow."""

    def make(user, secret=None):
        client = Client()
        sign_in_with_totp(client, user, secret or enrol_totp(user))
        return client

    return make


@pytest.fixture
def reviewer(db):
    return UserFactory(role="Safeguarding reviewer")


@pytest.fixture
def publisher(db):
    return UserFactory(role="Publisher")


def guidance_form(title="Safe placements", summary="What to plan.", action=None, **extra):
    data = {
        "title": title,
        "slug": extra.pop("slug", "safe-placements"),
        "summary": summary,
        "audience_sectors": inline_formset([{"sector": "childrens-social-care"}], min=1),
        "tags": "",
        "body": streamfield([("rich_text", rich_text("<p>Plan before the child arrives.</p>"))]),
        "sources": streamfield(
            [
                (
                    "source",
                    {
                        "title": "Safeguarding trafficked children",
                        "organisation": "CLC",
                        "year": 2017,
                        "url": "",
                    },
                )
            ]
        ),
        "last_reviewed": datetime.date(2026, 11, 1).isoformat(),
        "next_review": datetime.date(2027, 11, 1).isoformat(),
        "comments": inline_formset([]),
    }
    data.update(extra)
    form = nested_form_data(data)
    if action:
        form[action] = "1"
    return form
