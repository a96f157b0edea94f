"""The platform emulator, started once for the tests on a free local port, and the
steps of a launch as a browser takes them: the platform's login initiation, the
redirect to the platform's sign-in address, and the id_token posted back."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from lti.keys import public_key_set
from lti.viewsets import PlatformRegistrationForm
from tests.factories import OrganisationFactory

from .platform import Platform


@pytest.fixture(scope="session")
def emulator():
    platform = Platform().start()
    yield platform
    platform.stop()


@pytest.fixture
def platform(emulator):
    emulator.scores.clear()
    emulator.tokens.clear()
    emulator.members = []
    emulator.page_size = None
    emulator.loop_roster = False
    emulator.roster_pages_served = 0
    emulator.down = False
    return emulator


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Northshire Schools", sector="education")


def register(platform, organisation, **fields):
    """Register the platform the way an administrator does, through the admin's form."""
    form = PlatformRegistrationForm(data=platform.registration_data(organisation, **fields))
    assert form.is_valid(), form.errors
    registered = form.save()
    platform.tool_jwks = public_key_set()
    return registered


@pytest.fixture
def registered(platform, organisation):
    return register(platform, organisation)


def initiate(client, platform, registered, **params):
    response = client.get(
        reverse("lti:login", args=[registered.registration.uuid]),
        {
            "iss": platform.issuer,
            "login_hint": "7",
            "target_link_uri": "http://testserver/lti/launch/",
            "client_id": platform.client_id,
            "lti_message_hint": "hint",
            **params,
        },
    )
    assert response.status_code == 302, response.content
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == platform.auth_url
    return {name: values[0] for name, values in parse_qs(location.query).items()}


def launch(client, platform, registered, token=None, fetch_dest=None, **claims):
    """Initiate, then post the id_token the platform signs for the nonce it was given.
    `token` builds the id_token from the nonce; by default a learner's resource launch."""
    asked = initiate(client, platform, registered)
    assert asked["redirect_uri"] == "http://testserver/lti/launch/"
    assert asked["client_id"] == platform.client_id
    id_token = (token or (lambda nonce: platform.id_token(nonce, **claims)))(asked["nonce"])
    # Browsers say where a page is going (Sec-Fetch-Dest): "iframe" inside a frame.
    headers = {"HTTP_SEC_FETCH_DEST": fetch_dest} if fetch_dest else {}
    return client.post(
        urlsplit(asked["redirect_uri"]).path,
        {"id_token": id_token, "state": asked["state"]},
        **headers,
    )
