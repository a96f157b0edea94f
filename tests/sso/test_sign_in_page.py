"""The email-first sign-in page in English and Welsh: each field labelled, one primary
button, the refusal page in Welsh too."""

import pytest
from allauth.socialaccount.models import SocialApp
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation

from sso.models import OrganisationSignIn
from tests.accounts.account_pages import english_left_on, primary_buttons
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def login_url(language):
    with translation.override(language):
        return reverse("account_login")


def labelled_inputs(html):
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", class_="account-form")
    inputs = form.find_all("input", type=lambda kind: kind not in ("hidden", "submit"))
    return {
        field["name"]: soup.find("label", attrs={"for": field["id"]}).get_text(strip=True)
        for field in inputs
    }


@pytest.mark.parametrize(
    ("language", "email", "password", "button"),
    [("en", "Email", "Password", "Continue"), ("cy", "E-bost", "Cyfrinair", "Parhau")],
)
def test_the_address_first_then_the_password_each_labelled(
    client, language, email, password, button
):
    first = client.get(login_url(language)).content.decode()
    assert labelled_inputs(first) == {"login": email}
    assert len(primary_buttons(first)) == 1
    form = BeautifulSoup(first, "html.parser").find("form", class_="account-form")
    assert form.find("button", type="submit").get_text(strip=True) == button

    second = client.post(login_url(language), {"login": "someone@example.org"}).content.decode()
    labels = labelled_inputs(second)
    assert labels["login"] == email and labels["password"].startswith(password)
    assert "autofocus" in str(BeautifulSoup(second, "html.parser").find("input", id="id_password"))
    if language == "cy":
        assert english_left_on(first) == []
        assert english_left_on(second) == []


def test_the_refusal_page_is_in_welsh(client, settings):
    organisation = OrganisationFactory(email_domains="northshire.police.uk")
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="northshire",
        name="Northshire",
        client_id="x",
        secret="y",
        settings={"server_url": "https://login.example.org"},
    )
    OrganisationSignIn.objects.create(
        organisation=organisation, app=app, email_domains="northshire.police.uk"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    url = reverse("openid_connect_callback", kwargs={"provider_id": "northshire"})

    response = client.get(url, {"code": "x", "state": "never-issued"})

    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="cy">' in html
    assert english_left_on(html) == []
