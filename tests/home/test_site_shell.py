import pytest
from django.urls import Resolver404, resolve, reverse

from recognise.home.models import HomePage
from tests.factories import UserFactory
from tests.query_budgets import queries_for
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

pytestmark = pytest.mark.django_db


def test_home_page_is_served_at_the_root(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert isinstance(response.context["page"].specific, HomePage)


def test_base_template_is_accessible_shell(client):
    page = client.get("/en/").content.decode()
    assert '<html lang="en">' in page
    assert '<a class="skip-link" href="#main-content">Skip to main content</a>' in page
    assert '<main id="main-content"' in page
    assert "<header" in page and "<footer" in page
    assert '<nav aria-label="Main">' in page


def test_signed_out_navigation_offers_sign_in_and_sign_up(client):
    page = client.get("/en/").content.decode()
    assert reverse("account_login") in page
    assert reverse("account_signup") in page
    assert "Content admin" not in page


def test_learner_navigation_has_no_admin_link(client, learner):
    sign_in(client, learner.email)
    page = client.get("/en/").content.decode()
    assert "Your account" in page
    assert "Sign out" in page
    assert "Content admin" not in page


def test_editor_navigation_links_to_the_content_admin(client):
    editor = UserFactory(role="NGO editor")
    secret = enrol_totp(editor)
    sign_in_with_totp(client, editor, secret)
    page = client.get("/en/").content.decode()
    assert "Content admin" in page


def test_missing_page_gets_the_friendly_404(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Skip to main content" in response.content.decode()


def test_healthz_is_not_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


@pytest.mark.parametrize("users", [1, 20])
def test_home_page_query_count_is_bounded(client, users, production_cache):
    UserFactory.create_batch(users)
    assert queries_for(client, "/en/") == HOME_PAGE_QUERIES


# The core course and the sector pages it lists, in the language being read.
HOME_PAGE_QUERIES = 7


def test_every_page_links_to_the_accessibility_statement(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@example.org"
    footer = client.get("/en/").content.decode().split("<footer")[1]
    assert 'href="/en/accessibility/"' in footer
    statement = client.get("/en/accessibility/").content.decode()
    assert "WCAG" in statement and "keyboard" in statement
    assert 'href="mailto:access@example.org"' in statement
    welsh = client.get("/cy/accessibility/").content.decode()
    assert "Datganiad hygyrchedd" in welsh


def test_benchmark_ceiling_is_not_mounted_by_default():
    # Only `make bench` sets BENCHMARK_CEILING; the site itself never has this address.
    with pytest.raises(Resolver404):
        resolve("/bench/ceiling/")
