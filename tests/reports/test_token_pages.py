"""Trainers make and revoke their organisation's API tokens."""

import hashlib

from django.urls import reverse

from audit.models import Action, AuditEvent
from reports.models import ApiToken

TOKENS = reverse("reports:api_tokens")
LEARNERS = reverse("reporting_api:learners")


def test_a_new_token_is_shown_once_and_stored_hashed(org_x):
    client = org_x.signed_in_trainer()
    response = client.post(TOKENS, {"organisation": org_x.organisation.pk, "name": "Power BI"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    key = response.context["new_key"]
    assert key.startswith("rcg_")
    assert key in response.content.decode()
    token = ApiToken.objects.get(name="Power BI")
    assert token.organisation == org_x.organisation
    assert token.created_by == org_x.trainer
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.prefix, token.key_hash, token.name}
    # Never again: the list shows its name and first characters only.
    listing = client.get(TOKENS).content.decode()
    assert key not in listing
    assert "Power BI" in listing
    assert token.prefix in listing
    # And it works.
    assert client.get(LEARNERS, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_creating_a_token_is_audited(org_x):
    client = org_x.signed_in_trainer()
    client.post(TOKENS, {"organisation": org_x.organisation.pk, "name": "HR feed"})
    event = AuditEvent.objects.filter(action=Action.API_TOKEN_CREATED).latest("pk")
    assert event.actor == org_x.trainer
    assert "HR feed" in event.message


def test_a_token_needs_a_name(org_x):
    client = org_x.signed_in_trainer()
    response = client.post(TOKENS, {"organisation": org_x.organisation.pk, "name": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert response.context["new_key"] is None
    assert ApiToken.objects.filter(organisation=org_x.organisation).count() == 1


def test_a_trainer_cannot_make_a_token_for_another_organisation(org_x, org_y):
    client = org_x.signed_in_trainer()
    response = client.post(TOKENS, {"organisation": org_y.organisation.pk, "name": "Sneaky"})
    assert response.context["form"].errors["organisation"]
    assert not ApiToken.objects.filter(name="Sneaky").exists()


def test_revoking_asks_first_then_stops_the_token_at_once(org_x):
    client = org_x.signed_in_trainer()
    revoke = reverse("reports:revoke_api_token", args=[org_x.token.pk])
    confirm = client.get(revoke)
    assert confirm.status_code == 200
    assert org_x.token.name in confirm.content.decode()
    assert org_x.api.get(LEARNERS).status_code == 200
    response = client.post(revoke)
    assert response.status_code == 302
    assert org_x.api.get(LEARNERS).status_code == 401
    assert org_x.token.prefix not in client.get(TOKENS).content.decode()
    event = AuditEvent.objects.filter(action=Action.API_TOKEN_REVOKED).latest("pk")
    assert event.actor == org_x.trainer


def test_another_organisations_trainer_cannot_see_or_revoke_a_token(org_x, org_y):
    client = org_y.signed_in_trainer()
    assert (
        org_x.token.name not in client.get(TOKENS).content.decode().replace(org_y.token.name, "")
        or org_x.token.prefix not in client.get(TOKENS).content.decode()
    )
    revoke = reverse("reports:revoke_api_token", args=[org_x.token.pk])
    assert client.get(revoke).status_code == 404
    assert client.post(revoke).status_code == 404
    assert org_x.api.get(LEARNERS).status_code == 200


def test_the_token_page_is_in_welsh(org_x):
    client = org_x.signed_in_trainer()
    response = client.get(reverse("reports:api_tokens").replace("/en/", "/cy/"))
    assert response.status_code == 200
    assert "Tocynnau API" in response.content.decode()
