"""Staff areas ask whether this session passed a second factor, not whether the user has
one: a session made any other way (a script, force_login, a future sign-in path) is sent
to the second-factor step, and gets in once it has passed it."""

import pytest
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.signing_in import (
    enrol_totp,
    pass_second_factor,
    session_passed_second_factor,
    sign_in,
    sign_in_with_totp,
    totp_code,
)

pytestmark = pytest.mark.django_db

# Each staff role with the staff area it may use.
STAFF_AREAS = [
    ({"role": "Trainer"}, "/trainer/"),
    ({"role": "NGO editor"}, "/admin/"),
    ({"role": "Safeguarding reviewer"}, "/admin/"),
    ({"role": "Publisher"}, "/admin/"),
    ({"is_superuser": True, "is_staff": True}, "/admin/"),
]
AREA_IDS = ["trainer", "ngo-editor", "reviewer", "publisher", "superuser"]


def area_url(area):
    return reverse("cohorts:overview") if area == "/trainer/" else reverse("wagtailadmin_home")


def second_factor_step_for(url):
    return f"{reverse('mfa_reauthenticate')}?next={url.replace('/', '%2F')}"


@pytest.mark.parametrize(("person", "area"), STAFF_AREAS, ids=AREA_IDS)
def test_a_session_that_skipped_the_second_factor_is_sent_to_it_and_gets_in_after(
    client, person, area
):
    user = UserFactory(**person)
    secret = enrol_totp(user)
    url = area_url(area)
    client.force_login(user)

    response = client.get(url)
    assert response.status_code == 302
    assert response.url == second_factor_step_for(url)
    step = client.get(response.url)
    assert step.status_code == 200
    assert "confirm it is you with your two-factor authentication" in step.content.decode()

    response = client.post(response.url, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response.url == url
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(("person", "area"), STAFF_AREAS, ids=AREA_IDS)
def test_a_wrong_code_at_the_step_keeps_the_session_out(client, person, area):
    user = UserFactory(**person)
    secret = enrol_totp(user)
    url = area_url(area)
    client.force_login(user)
    wrong_code = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"

    response = client.post(second_factor_step_for(url), {"code": wrong_code})
    assert response.status_code == 200
    assert client.get(url).status_code == 302


def test_a_password_only_sign_in_of_staff_with_an_authenticator_is_stopped_too(client):
    """However the session came to have only a password in it."""
    publisher = UserFactory(role="Publisher")
    secret = enrol_totp(publisher)
    client.force_login(publisher)
    # As if a sign-in path had recorded the password step and nothing else.
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": 0}]
    session["account_authentication_methods_user"] = str(publisher.pk)
    session.save()
    response = client.get("/admin/")
    assert response.url == second_factor_step_for("/admin/")

    pass_second_factor(client, secret, next_url="/admin/")
    assert client.get("/admin/").status_code == 200


def test_each_session_passes_its_own_second_factor_whatever_is_cached(production_cache):
    """Whether a user has an authenticator is cached per user; whether a session passed
    one never is."""
    editor = UserFactory(role="NGO editor")
    secret = enrol_totp(editor)
    signed_in_properly = Client()
    sign_in_with_totp(signed_in_properly, editor, secret)
    assert signed_in_properly.get("/admin/").status_code == 200
    assert signed_in_properly.get("/admin/").status_code == 200  # now from the cache

    forced = Client()
    forced.force_login(editor)
    response = forced.get("/admin/")
    assert response.status_code == 302
    assert response.url == second_factor_step_for("/admin/")
    assert signed_in_properly.get("/admin/").status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("person", "area"), STAFF_AREAS, ids=AREA_IDS)
def test_staff_without_an_authenticator_set_one_up_and_that_counts_for_the_session(person, area):
    """Run committing, as a server does: allauth announces a new authenticator once its
    transaction has committed, still inside the request."""
    cache.clear()
    client = Client()
    user = UserFactory(**person)
    url = area_url(area)
    client.force_login(user)
    try:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")

        # allauth asks for the password before any change to the second factor.
        password_page = client.get(response.url, follow=True)
        assert "two-factor authentication first" in password_page.content.decode()
        client.post(password_page.redirect_chain[-1][0], {"password": PASSWORD})
        secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
        assert response.status_code == 302
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

        assert session_passed_second_factor(client)
        assert client.get(url).status_code == 200
    finally:
        cache.clear()  # the cache table is not emptied with the database


def test_adding_another_authenticator_does_not_stand_in_for_the_first(client):
    """A session with only the password may add a security key, but that is not the
    second factor the account already has."""
    trainer = UserFactory(role="Trainer")
    enrol_totp(trainer)
    client.force_login(trainer)
    request = RequestFactory().post(reverse("mfa_add_webauthn"))
    request.session, request.user = client.session, trainer
    key = Authenticator.objects.create(user=trainer, type=Authenticator.Type.WEBAUTHN, data={})
    mfa_signals.authenticator_added.send(
        sender=Authenticator,
        request=request,
        user=trainer,
        authenticator=key,
    )
    request.session.save()
    assert not session_passed_second_factor(client)
    assert client.get(reverse("cohorts:overview")).status_code == 302


def test_a_learner_session_made_directly_is_not_asked_for_a_second_factor(client, learner):
    client.force_login(learner)
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.get(reverse("learning:my_learning")).status_code == 200
    # The staff areas stay closed to them, as before.
    assert client.get("/admin/").status_code == 403


def test_signing_in_with_a_code_records_the_second_factor_in_the_session(client):
    reviewer = UserFactory(role="Safeguarding reviewer")
    secret = enrol_totp(reviewer)
    sign_in(client, reviewer.email)
    assert not session_passed_second_factor(client)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert session_passed_second_factor(client)
