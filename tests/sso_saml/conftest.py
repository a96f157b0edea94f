import pytest
from allauth.socialaccount.models import SocialApp
from django.test import Client

from sso.models import OrganisationSignIn
from tests.factories import OrganisationFactory
from tests.sso_saml.idp import (
    IDP_ENTITY_ID,
    IDP_SSO_URL,
    IdentityProvider,
    certificate_body,
    key_and_certificate,
)

DOMAIN = "trust.example"
OTHER_DOMAIN = "council.example"
# python3-saml refuses addresses on a host without a dot, such as "testserver".
HOST = "learn.recognise.example"
BASE = f"http://{HOST}"


def saml_app(slug, idp_cert, domain=DOMAIN, **advanced):
    """An organisation's SAML identity provider as an administrator sets it up: the
    allauth app, and the organisation whose staff at `domain` sign in with it."""
    app = SocialApp.objects.create(
        provider="saml",
        provider_id=slug,
        client_id=slug,
        name=f"{slug} staff sign-in",
        settings={
            "idp": {"entity_id": IDP_ENTITY_ID, "sso_url": IDP_SSO_URL, "x509cert": idp_cert},
            # Addresses at the organisation's own domain are its staff's, already checked.
            "verified_email": [domain],
            "advanced": advanced,
        },
    )
    organisation = OrganisationFactory(name=f"{slug} organisation", email_domains=domain)
    OrganisationSignIn.objects.create(organisation=organisation, app=app, email_domains=domain)
    return app


def sp_entity_id(slug):
    return f"{BASE}/accounts/saml/{slug}/metadata/"


def acs_url(slug):
    return f"{BASE}/accounts/saml/{slug}/acs/"


class Setup:
    """Two organisations with SAML sign-in, the IdP both trust, and another IdP's key."""

    def __init__(self, folder, client):
        key_file, cert_file = key_and_certificate(folder, "idp")
        rogue_key, rogue_cert = key_and_certificate(folder, "rogue")
        self.app = saml_app("north-trust", certificate_body(cert_file))
        self.other_app = saml_app("south-council", certificate_body(cert_file), domain=OTHER_DOMAIN)
        sp_metadata = [
            client.get(f"/accounts/saml/{slug}/metadata/").content.decode()
            for slug in ("north-trust", "south-council")
        ]
        # A service provider elsewhere, for a response whose audience is not Recognise.
        sp_metadata.append(
            sp_metadata[0]
            .replace(sp_entity_id("north-trust"), "https://elsewhere.example/sp")
            .replace(acs_url("north-trust"), "https://elsewhere.example/acs")
        )
        self.idp = IdentityProvider(key_file, cert_file, sp_metadata)
        # The same entity id, signing with a key nobody configured.
        self.rogue_idp = IdentityProvider(rogue_key, rogue_cert, sp_metadata)
        # An IdP whose assertions expired ten minutes ago.
        self.stale_idp = IdentityProvider(key_file, cert_file, sp_metadata, lifetime_minutes=-10)


@pytest.fixture
def client(settings):
    """A browser on Recognise's public address."""
    settings.ALLOWED_HOSTS = [HOST]
    return Client(HTTP_HOST=HOST)


@pytest.fixture
def saml(db, tmp_path, client):
    return Setup(tmp_path, client)
