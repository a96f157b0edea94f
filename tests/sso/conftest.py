"""A real OpenID Connect provider for the single sign-on tests: a small Django project
with django-oidc-provider (tests/sso/provider/), in its own SQLite file in a temporary
folder, on a free local port. Recognise talks to it over HTTP as to any provider:
discovery, the token endpoint, userinfo and its JWKS."""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialApp
from bs4 import BeautifulSoup
from django.urls import reverse

from sso.models import OrganisationSignIn
from tests.factories import OrganisationFactory
from tests.xapi.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "recognise-test"
CLIENT_SECRET = "a-long-client-secret-for-tests"
PROVIDER_ID = "northshire"
PROVIDER_PASSWORD = "provider-password"
CALLBACK = f"http://testserver/sso/oidc/{PROVIDER_ID}/login/callback/"


class Provider:
    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.process = None
        self.users = set()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self):
        return f"{self.base}/openid"

    def command(self, *args):
        return [
            sys.executable,
            "-m",
            "tests.sso.provider.server",
            str(self.port),
            str(self.folder),
            *args,
        ]

    def start(self):
        log = (self.folder / "provider.log").open("ab")
        self.process = subprocess.Popen(
            self.command(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(  # noqa: S310 (the local test provider)
                    f"{self.issuer}/.well-known/openid-configuration", timeout=2
                )
                break
            except (urllib.error.URLError, OSError):
                if self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(
                        "The provider did not start:\n" + (self.folder / "provider.log").read_text()
                    ) from None
                time.sleep(0.2)
        self.setup(
            clients=[
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": [CALLBACK],
                }
            ]
        )

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def setup(self, **spec):
        subprocess.run(self.command("setup", json.dumps(spec)), cwd=ROOT, check=True)

    def person(self, username, **claims):
        """A person who can sign in at the provider, and the claims it sends for them."""
        if username not in self.users:
            self.setup(
                users=[
                    {
                        "username": username,
                        "password": PROVIDER_PASSWORD,
                        "email": claims.get("email", ""),
                    }
                ]
            )
            self.users.add(username)
        path = self.folder / "claims.json"
        known = json.loads(path.read_text()) if path.exists() else {}
        known[username] = claims
        path.write_text(json.dumps(known))
        return username


@pytest.fixture(scope="session")
def provider(tmp_path_factory):
    server = Provider(tmp_path_factory.mktemp("oidc-provider"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def running_provider(provider):
    """The provider, started again if a test stopped it."""
    if provider.process is None:
        provider.start()
    return provider


@pytest.fixture
def northshire(db):
    return OrganisationFactory(
        name="Northshire Police",
        slug="northshire-police",
        email_domains="northshire.police.uk\nnorthshire.example",
    )


def link_provider(organisation, provider, **fields):
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=PROVIDER_ID,
        name="Northshire Police account",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": provider.issuer},
    )
    values = {"email_domains": "northshire.police.uk"}
    values.update(fields)
    return OrganisationSignIn.objects.create(organisation=organisation, app=app, **values)


@pytest.fixture
def sign_in_link(northshire, running_provider):
    """Northshire Police signs its staff in with the test provider."""

    def link(**fields):
        return link_provider(northshire, running_provider, **fields)

    return link


def at_provider(authorize_url, username, password=PROVIDER_PASSWORD, consent=True):
    """What a person does at the provider: sign in there and agree to share their details.
    Returns where the provider sends the browser back to."""
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    login_url = urljoin(authorize_url, response.headers["Location"])
    page = browser.get(login_url, timeout=10)
    form = BeautifulSoup(page.text, "html.parser")
    data = {field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")}
    data.update(username=username, password=password)
    response = browser.post(login_url, data=data, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    consent_page = browser.get(urljoin(login_url, response.headers["Location"]), timeout=10)
    form = BeautifulSoup(consent_page.text, "html.parser").find("form")
    assert form is not None, consent_page.text
    data = {field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")}
    if consent:
        data["allow"] = "Authorize"
    response = browser.post(
        urljoin(consent_page.url, form["action"]), data=data, allow_redirects=False, timeout=10
    )
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def back_at_recognise(client, location):
    """Follow the provider's redirect back to Recognise's callback."""
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}" == "http://testserver", location
    return client.get(f"{parts.path}?{parts.query}")


def sign_in_with_provider(client, email, username, **at_provider_options):
    """The whole journey: the email on Recognise's sign-in page, the provider, and back."""
    response = client.post(reverse("account_login"), {"login": email})
    assert response.status_code == 302, response.content.decode()[:2000]
    location = at_provider(response["Location"], username, **at_provider_options)
    return back_at_recognise(client, location)
