"""Signing in with an organisation's own identity provider, a real OpenID Connect
provider started for the tests: the account made just in time, and who it may not be."""

from allauth.socialaccount.models import SocialAccount, SocialApp
from bs4 import BeautifulSoup
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import Membership, User
from accounts.roles import LEARNER
from audit.models import Action, AuditEvent
from sso.models import OrganisationSignIn
from tests.factories import OrganisationFactory, UserFactory
from tests.signing_in import sign_in

from .conftest import at_provider, back_at_recognise, sign_in_with_provider


def signed_in_user(client):
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


def test_first_sign_in_makes_a_learner_in_the_organisation(client, sign_in_link, provider):
    sign_in_link()
    provider.person(
        "ada", email="ada.lovelace@northshire.police.uk", email_verified=True, name="Ada Lovelace"
    )

    response = sign_in_with_provider(client, "ada.lovelace@northshire.police.uk", "ada")

    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("learning:my_learning")
    user = signed_in_user(client)
    assert user.email == "ada.lovelace@northshire.police.uk"
    assert user.display_name == "Ada Lovelace"
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, organisation__slug="northshire-police").exists()
    assert list(user.groups.values_list("name", flat=True)) == [LEARNER]
    assert SocialAccount.objects.get(user=user).provider == "northshire"


def test_an_existing_account_is_never_signed_in_by_the_provider(client, sign_in_link, provider):
    sign_in_link()
    owner = UserFactory(email="grace@northshire.police.uk")
    # The provider (or whoever controls it) asserts the owner's address.
    provider.person("mallory", email="grace@northshire.police.uk", email_verified=True)

    response = sign_in_with_provider(client, "grace@northshire.police.uk", "mallory")

    assert response.status_code == 403
    assert "Sign in with your password" in response.content.decode()
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.filter(user=owner).exists()
    assert AuditEvent.objects.filter(action=Action.SSO_REFUSED).exists()


def test_entra_id_s_verified_domain_claim_stands_for_email_verified(client, sign_in_link, provider):
    sign_in_link()
    # Microsoft Entra ID sends no email_verified; its optional claim xms_edov says the
    # address is at a domain the tenant has verified.
    provider.person("ida", email="ida@northshire.police.uk", xms_edov=True, name="Ida Wells")

    response = sign_in_with_provider(client, "ida@northshire.police.uk", "ida")

    assert response.status_code == 302
    assert signed_in_user(client).email == "ida@northshire.police.uk"


def test_an_address_the_provider_did_not_verify_is_refused(client, sign_in_link, provider):
    sign_in_link()
    provider.person("una", email="una@northshire.police.uk", email_verified=False)

    response = sign_in_with_provider(client, "una@northshire.police.uk", "una")

    assert response.status_code == 403
    assert "did not confirm your email address" in response.content.decode()
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="una@northshire.police.uk").exists()
    event = AuditEvent.objects.get(action=Action.SSO_REFUSED)
    assert event.data["reason"] == "email address not verified by the provider"


def test_an_address_at_a_domain_the_sign_in_was_not_given_is_refused(
    client, sign_in_link, provider
):
    sign_in_link()
    # Typed at Recognise as a Northshire address, asserted by the provider as another.
    provider.person("otto", email="otto@elsewhere.example.org", email_verified=True)

    response = sign_in_with_provider(client, "otto@northshire.police.uk", "otto")

    assert response.status_code == 403
    assert "not at a domain" in response.content.decode()
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="otto@elsewhere.example.org").exists()


def test_a_domain_claimed_by_two_organisations_signs_nobody_in(
    client, sign_in_link, provider, running_provider
):
    sign_in = sign_in_link()
    other = OrganisationFactory(name="Southshire", email_domains="northshire.police.uk")
    # Made without the admin form's check, as a mistake in the data would be.
    other_app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="southshire",
        name="Southshire",
        client_id="x",
        secret="y",
        settings={"server_url": running_provider.issuer},
    )
    OrganisationSignIn.objects.create(
        organisation=other, app=other_app, email_domains="northshire.police.uk"
    )
    provider.person("dora", email="dora@northshire.police.uk", email_verified=True)

    # The email step sends nobody to either provider: the password form comes instead.
    response = client.post(reverse("account_login"), {"login": "dora@northshire.police.uk"})
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()

    # Started at the provider's own sign-in address, it is refused on the way back.
    url = reverse("openid_connect_login", kwargs={"provider_id": sign_in.app.provider_id})
    response = client.post(url)
    assert response.status_code == 302
    response = back_at_recognise(client, at_provider(response["Location"], "dora"))
    assert response.status_code == 403
    assert "more than one organisation" in response.content.decode()
    assert signed_in_user(client) is None


def test_other_addresses_are_asked_for_their_password_with_the_address_kept(client, db):
    response = client.post(reverse("account_login"), {"login": "someone@example.org"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="password"' in page
    assert 'value="someone@example.org"' in page
    assert signed_in_user(client) is None


def test_the_email_step_answers_by_domain_alone_never_by_account(client, sign_in_link, provider):
    sign_in_link()
    UserFactory(email="known@example.org")
    UserFactory(email="known@northshire.police.uk")

    pages = []
    for address in ("known@example.org", "unknown@example.org"):
        response = client.post(reverse("account_login"), {"login": address})
        assert response.status_code == 200
        form = BeautifulSoup(response.content, "html.parser").find("form", class_="account-form")
        fields = [(field.get("name"), field.get("type")) for field in form.find_all("input")]
        pages.append((form.get_text(" ", strip=True), fields))
    assert pages[0] == pages[1]
    assert ("password", "password") in pages[0][1]
    for address in ("known@northshire.police.uk", "unknown@northshire.police.uk"):
        response = client.post(reverse("account_login"), {"login": address})
        assert response.status_code == 302
        assert response["Location"].startswith(f"{provider.issuer}/authorize")


def test_password_sign_in_still_works_for_everyone_else(client, db):
    user = UserFactory(email="pat@example.org", role="Learner")

    response = sign_in(client, user.email)

    assert response.status_code == 302
    assert signed_in_user(client) == user
