"""Signing in with an organisation's SAML identity provider: pysaml2 plays the provider
and posts its signed responses to Recognise's assertion consumer service, as a browser
would. Everything the provider got wrong is refused with allauth's sign-in failure page,
and nobody is signed in."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.roles import TRAINER
from audit.models import Action, AuditEvent
from sso.models import OrganisationSignIn
from sso.saml import SESSION_KEY
from tests.factories import UserFactory
from tests.sso_saml.conftest import DOMAIN, OTHER_DOMAIN, acs_url, sp_entity_id
from tests.sso_saml.idp import MFA, inflate

SLUG = "north-trust"
EMAIL = f"ada.lovelace@{DOMAIN}"
FAILURE = "sign-in service did not work"


def post_response(client, saml_response, slug=SLUG, relay_state=None):
    """Post as the browser does, then follow allauth's hop to finish the sign-in."""
    data = {"SAMLResponse": saml_response}
    if relay_state:
        data["RelayState"] = relay_state
    posted = client.post(f"/accounts/saml/{slug}/acs/", data)
    assert posted.status_code == 302, posted.status_code
    return client.get(posted["Location"])


def signed_in(client):
    return "_auth_user_id" in client.session


def assert_refused(client, response):
    assert response.status_code in (200, 400, 401, 403), response.status_code
    assert FAILURE in response.content.decode()
    assert not signed_in(client)
    assert not get_user_model().objects.filter(email=EMAIL).exists()


def idp_initiated(saml, **kwargs):
    return saml.idp.response(sp_entity_id=sp_entity_id(SLUG), acs_url=acs_url(SLUG), **kwargs)


def test_metadata_names_the_addresses_to_give_the_identity_provider(saml, client):
    metadata = " ".join(client.get(f"/accounts/saml/{SLUG}/metadata/").content.decode().split())
    assert f'entityID="{sp_entity_id(SLUG)}"' in metadata
    assert f'Location="{acs_url(SLUG)}"' in metadata
    assert 'WantAssertionsSigned="true"' in metadata
    assert "nameid-format:emailAddress" in metadata


def test_identity_provider_initiated_sign_in(saml, client):
    response = post_response(client, idp_initiated(saml, email=EMAIL))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert signed_in(client)
    user = get_user_model().objects.get(email=EMAIL)
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")
    assert str(user.pk) == client.session["_auth_user_id"]
    assert client.session[SESSION_KEY]["mfa"] is False


def test_service_provider_initiated_sign_in_answers_the_request(saml, client):
    started = client.post(f"/accounts/saml/{SLUG}/login/", {"next": "/en/learning/"})
    assert started.status_code == 302
    request = saml.idp.read_authn_request(started["Location"])
    assert request.assertion_consumer_service_url == acs_url(SLUG)
    assert request.issuer.text == sp_entity_id(SLUG)
    saml_response = saml.idp.response(
        sp_entity_id=sp_entity_id(SLUG),
        acs_url=acs_url(SLUG),
        email=EMAIL,
        in_response_to=request.id,
        authn_context=MFA,
    )
    response = post_response(client, saml_response)
    assert response.status_code == 302
    assert response["Location"] == "/en/learning/"
    assert signed_in(client)
    assert client.session[SESSION_KEY] == {"authn_contexts": [MFA], "mfa": True}


def test_authn_request_is_unsigned_without_a_key_of_ours(saml, client):
    started = client.post(f"/accounts/saml/{SLUG}/login/")
    query = parse_qs(urlparse(started["Location"]).query)
    assert "Signature" not in query
    assert "<samlp:AuthnRequest" in inflate(query["SAMLRequest"][0])


def test_unsigned_assertion_is_refused(saml, client):
    assert_refused(
        client, post_response(client, idp_initiated(saml, email=EMAIL, sign_assertion=False))
    )


def test_signed_response_around_an_unsigned_assertion_is_refused(saml, client):
    saml_response = idp_initiated(saml, email=EMAIL, sign_assertion=False, sign_response=True)
    assert_refused(client, post_response(client, saml_response))


def test_assertion_signed_with_sha1_is_refused(saml, client):
    assert_refused(client, post_response(client, idp_initiated(saml, email=EMAIL, sha1=True)))


def test_assertion_signed_by_another_key_is_refused(saml, client):
    saml_response = saml.rogue_idp.response(
        sp_entity_id=sp_entity_id(SLUG), acs_url=acs_url(SLUG), email=EMAIL
    )
    assert_refused(client, post_response(client, saml_response))


def test_expired_assertion_is_refused(saml, client):
    saml_response = saml.stale_idp.response(
        sp_entity_id=sp_entity_id(SLUG), acs_url=acs_url(SLUG), email=EMAIL
    )
    assert_refused(client, post_response(client, saml_response))


def test_assertion_for_another_audience_is_refused(saml, client):
    saml_response = saml.idp.response(
        sp_entity_id="https://elsewhere.example/sp", acs_url=acs_url(SLUG), email=EMAIL
    )
    assert_refused(client, post_response(client, saml_response))


def test_replayed_response_is_refused(saml, client, django_user_model):
    saml_response = idp_initiated(saml, email=EMAIL)
    post_response(client, saml_response)
    assert signed_in(client)
    client.logout()
    # Signed in the first time only: without the check, allauth would sign in again.
    response = post_response(client, saml_response)
    assert response.status_code == 400
    assert FAILURE in response.content.decode()
    assert not signed_in(client)


def test_no_language_prefixed_copy_of_the_last_step_to_replay_through(saml, client):
    # allauth's own URLs would add /en/ and /cy/ copies of the SAML addresses, without
    # the check that a response is used once; the site does not include them.
    saml_response = idp_initiated(saml, email=EMAIL)
    post_response(client, saml_response)
    client.logout()
    posted = client.post(f"/accounts/saml/{SLUG}/acs/", {"SAMLResponse": saml_response})
    client.cookies["saml-acs-session"]["path"] = "/"
    response = client.get(f"/en/accounts/saml/{SLUG}/acs/finish/")
    assert posted.status_code == 302
    assert response.status_code == 404
    assert not signed_in(client)


def test_replayed_answer_to_a_request_is_refused(saml, client):
    started = client.post(f"/accounts/saml/{SLUG}/login/")
    request = saml.idp.read_authn_request(started["Location"])
    saml_response = saml.idp.response(
        sp_entity_id=sp_entity_id(SLUG),
        acs_url=acs_url(SLUG),
        email=EMAIL,
        in_response_to=request.id,
    )
    post_response(client, saml_response)
    client.logout()
    response = post_response(client, saml_response)
    assert FAILURE in response.content.decode()
    assert not signed_in(client)


def test_response_for_another_organisation_is_refused(saml, client):
    saml_response = saml.idp.response(
        sp_entity_id=sp_entity_id("south-council"), acs_url=acs_url("south-council"), email=EMAIL
    )
    assert_refused(client, post_response(client, saml_response, slug=SLUG))


def test_garbage_is_refused(saml, client):
    assert_refused(client, post_response(client, "not base64 at all!"))


def test_unknown_organisation_is_not_found(saml, client):
    for step in ("metadata", "login", "acs/finish"):
        url = f"/accounts/saml/no-such-organisation/{step}/"
        assert client.get(url, follow=True).status_code == 404


def test_a_first_sign_in_makes_a_learner_member_of_the_providers_organisation(saml, client):
    response = post_response(client, idp_initiated(saml, email=EMAIL))

    assert response["Location"] == reverse("learning:my_learning")
    user = get_user_model().objects.get(email=EMAIL)
    assert [m.organisation.name for m in user.memberships.all()] == ["north-trust organisation"]
    assert list(user.groups.values_list("name", flat=True)) == ["Learner"]
    assert client.get(reverse("learning:my_learning")).status_code == 200


def test_an_address_at_another_organisations_domain_is_refused_and_recorded(saml, client):
    # North's provider vouching for someone at South's domain: not one of north's people.
    response = post_response(client, idp_initiated(saml, email=f"sam@{OTHER_DOMAIN}"))

    assert response.status_code == 403
    assert "not at a domain north-trust organisation signs in with" in response.content.decode()
    assert not signed_in(client)
    assert not get_user_model().objects.filter(email=f"sam@{OTHER_DOMAIN}").exists()
    refusal = AuditEvent.objects.get(action=Action.SSO_REFUSED)
    assert "email domain not allowed" in refusal.message


def test_an_existing_account_is_not_taken_over_by_a_saml_assertion(saml, client):
    owner = UserFactory(email=EMAIL)

    response = post_response(client, idp_initiated(saml, email=EMAIL))

    assert "An account with this email address already exists" in response.content.decode()
    assert not signed_in(client)
    assert not owner.socialaccount_set.exists()


@pytest.mark.parametrize(
    ("trusted", "authn_context", "passes"),
    [(True, MFA, True), (True, None, False), (False, MFA, False)],
)
def test_a_trainers_saml_sign_in_counts_as_second_factor_only_when_trusted_and_asserted(
    saml, client, trusted, authn_context, passes
):
    OrganisationSignIn.objects.filter(app=saml.app).update(trust_provider_mfa=trusted)
    post_response(client, idp_initiated(saml, email=EMAIL))
    get_user_model().objects.get(email=EMAIL).groups.add(Group.objects.get(name=TRAINER))
    browser = Client(HTTP_HOST=client.defaults["HTTP_HOST"])
    extra = {"authn_context": authn_context} if authn_context else {}

    post_response(browser, idp_initiated(saml, email=EMAIL, **extra))

    trainer_page = browser.get(reverse("cohorts:overview"))
    if passes:
        assert trainer_page.status_code == 200
    else:
        assert trainer_page.status_code == 302
        assert trainer_page["Location"].startswith(reverse("mfa_activate_totp"))
