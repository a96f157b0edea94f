import time

import pytest
from django.urls import reverse

from accounts.sessions import LAST_SEEN, STARTED
from tests.factories import UserFactory
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

pytestmark = pytest.mark.django_db


def age_session(client, idle=0, started=0):
    session = client.session
    now = int(time.time())
    session[LAST_SEEN] = now - idle
    session[STARTED] = now - started
    session.save()


def test_learner_stays_signed_in_for_hours_of_inactivity_below_the_limit(client, learner):
    sign_in(client, learner.email)
    client.get(reverse("accounts:profile"))
    age_session(client, idle=7 * 3600)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_learner_is_signed_out_after_8_idle_hours(client, learner):
    sign_in(client, learner.email)
    client.get(reverse("accounts:profile"))
    age_session(client, idle=8 * 3600 + 5)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_staff_are_signed_out_after_30_idle_minutes(client):
    editor = UserFactory(role="NGO editor")
    sign_in_with_totp(client, editor, enrol_totp(editor))
    assert client.get("/admin/").status_code == 200
    age_session(client, idle=29 * 60)
    assert client.get("/admin/").status_code == 200
    age_session(client, idle=31 * 60)
    assert client.get("/admin/").status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_nobody_stays_signed_in_past_the_absolute_lifetime(client, learner, settings):
    sign_in(client, learner.email)
    client.get(reverse("accounts:profile"))
    age_session(client, idle=0, started=settings.SESSION_ABSOLUTE_LIFETIME + 1)
    assert client.get(reverse("accounts:profile")).status_code == 302


def recorded_idle(client):
    return int(time.time()) - client.session[LAST_SEEN]


def test_a_learners_activity_is_recorded_every_16_minutes_not_on_every_request(client, learner):
    sign_in(client, learner.email)
    age_session(client, idle=10 * 60)
    assert client.get(reverse("accounts:profile")).status_code == 200
    # Not written again: the session stays as it was.
    assert recorded_idle(client) >= 10 * 60
    age_session(client, idle=17 * 60)
    client.get(reverse("accounts:profile"))
    assert recorded_idle(client) < 60


def test_staff_activity_is_recorded_every_minute(client):
    editor = UserFactory(role="NGO editor")
    sign_in_with_totp(client, editor, enrol_totp(editor))
    age_session(client, idle=2 * 60)
    assert client.get("/admin/").status_code == 200
    assert recorded_idle(client) < 60
