"""What a trainer types reaches people outside the platform only inside the platform's own
words, and invitations to addresses outside an organisation's verified domains are
limited per trainer and listed for administrators."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Organisation
from audit.models import Action, AuditEvent
from cohorts.assigning import assign
from cohorts.invitations import queue_invitation_email
from cohorts.models import Cohort, EmailInvitation
from cohorts.reminders import send_trainer_summaries
from cohorts.tasks import invitation_email
from tests.factories import OrganisationFactory, UserFactory
from tests.query_budgets import (
    counting_queries,
    production_cache,  # noqa: F401 (a fixture)
)
from tests.signing_in import enrol_totp, links_in, sign_in, sign_in_with_totp

pytestmark = pytest.mark.django_db

# What a phishing trainer account would write: a false instruction, a link, line breaks
# to make it look like the platform's own paragraph, and as much of it as the column holds.
HOSTILE_NAME = (
    "Urgent: reset your password at http://evil.example/reset\r\n\r\n"
    "Your Recognise account will be closed today.\n" + "A" * 200
)[:200]


def members_url(cohort):
    return reverse("cohorts:members", args=[cohort.pk])


def invite(force, cohort, addresses, capture):
    with capture(execute=True):
        return force.client.post(
            members_url(cohort),
            {"action": "addresses", "addresses-addresses": addresses},
            follow=True,
        )


def test_a_hostile_cohort_name_is_quoted_in_the_platforms_invitation(
    force_x, django_capture_on_commit_callbacks
):
    force_x.trainer.display_name = "Taylor Trainer"
    force_x.trainer.save()
    cohort = force_x.cohort(HOSTILE_NAME)
    mail.outbox.clear()
    invite(force_x, cohort, "new.recruit@example.org", django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.subject == "Taylor Trainer of Force X invited you to training on Recognise"
    body = message.body
    assert body.startswith("Taylor Trainer of Force X invited you to join their cohort")
    # The name is the trainer's words, on one quoted line, cut to 100 characters.
    lines = body.splitlines()
    label = lines.index("The cohort's name, as the trainer wrote it:")
    quoted = lines[label + 1]
    assert quoted.startswith("“Urgent: reset your password at ") and quoted.endswith("…”")
    assert 90 < len(quoted) <= 100 + 2
    assert "reset Your Recognise account will be closed" in quoted
    assert not any(line.startswith("Your Recognise account") for line in lines)
    # The only link is the platform's own.
    assert "evil.example" not in body and "http://evil" not in body
    assert links_in(body) == ["http://testserver/en/accounts/signup/"]
    assert "Recognise never asks for your password by email" in body


def test_a_trainers_own_name_cannot_carry_a_link_or_a_second_line(
    force_x, django_capture_on_commit_callbacks
):
    force_x.trainer.display_name = "Support desk\nVisit www.evil.example to verify"
    force_x.trainer.save()
    cohort = force_x.cohort()
    mail.outbox.clear()
    invite(force_x, cohort, "new.recruit@example.org", django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.subject == (
        "Support desk Visit www[.]evil[.]example to verify of Force X "
        "invited you to training on Recognise"
    )
    assert "evil.example" not in message.body
    assert links_in(message.body) == ["http://testserver/en/accounts/signup/"]


def test_the_invitation_is_fixed_in_welsh_too(force_x):
    force_x.trainer.display_name = "Taylor Trainer"
    force_x.trainer.save()
    cohort = force_x.cohort(HOSTILE_NAME)
    invitation = EmailInvitation.objects.create(
        cohort=cohort, email="recriwt@example.org", invited_by=force_x.trainer
    )
    mail.outbox.clear()
    with translation.override("cy"):
        invitation_email(invitation)
    (message,) = mail.outbox
    assert message.subject == (
        "Mae Taylor Trainer o Force X wedi eich gwahodd i hyfforddiant ar Recognise"
    )
    assert message.body.startswith("Mae Taylor Trainer o Force X wedi eich gwahodd")
    assert "evil.example" not in message.body
    assert links_in(message.body) == ["http://testserver/cy/accounts/signup/"]


def test_the_trainer_summary_quotes_cohort_names_without_links(force_x, course):
    force_x.trainer.preferred_language = "cy"
    force_x.trainer.save()
    cohort = force_x.cohort(HOSTILE_NAME, learners=1)
    assign(
        course,
        timezone.localdate() - datetime.timedelta(days=3),
        force_x.organisation,
        force_x.trainer,
        cohort=cohort,
    )
    mail.outbox.clear()
    assert send_trainer_summaries() == 1
    (message,) = mail.outbox
    assert "evil.example" not in message.body
    assert not any(line.startswith("Your Recognise") for line in message.body.splitlines())
    assert links_in(message.body) == ["http://testserver/cy/trainer/"]


def test_cohort_names_that_could_carry_a_link_or_a_second_line_are_field_errors(force_x):
    overview = reverse("cohorts:overview")
    for name in (
        "A" * 5000,
        "Spring intake\nReset your password at http://evil.example",
        "Spring intake\u202e",
        "Spring intake, see http://evil.example",
        "Spring intake: write to help@evil.example",
        "Spring intake at www.evil.example",
    ):
        response = force_x.client.post(
            overview, {"organisation": force_x.organisation.pk, "name": name}
        )
        assert response.status_code == 200, name
        assert "name" in response.context["form"].errors, name
    assert not Cohort.objects.exists()
    # Names as trainers write them are still taken.
    ordinary = ("Intake 2026/27", "St. John’s team v2.0, e.g. nights", "Swyddogion ymateb, Ionawr")
    for name in ordinary:
        response = force_x.client.post(
            overview, {"organisation": force_x.organisation.pk, "name": name}
        )
        assert response.status_code == 302, name
    assert Cohort.objects.count() == 3


# Verified domains and the daily limit --------------------------------------------------


@pytest.fixture
def limited(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "outside_invitation": (50, 24 * 60 * 60)}


@pytest.mark.parametrize("cache_kind", ["database", "redis"])
def test_an_import_of_2000_outside_addresses_sends_at_most_the_limit_and_says_so(
    force_x, limited, django_capture_on_commit_callbacks, cache_kind, request
):
    if cache_kind == "redis":
        request.getfixturevalue("production_cache")
    force_x.organisation.email_domains = "force-x.police.uk"
    force_x.organisation.save()
    cohort = force_x.cohort()
    mail.outbox.clear()
    rows = "".join(f"person{number}@elsewhere.example\n" for number in range(2000))
    with django_capture_on_commit_callbacks(execute=True):
        response = force_x.client.post(
            members_url(cohort),
            {
                "action": "csv",
                "csv-file": SimpleUploadedFile("people.csv", f"email\n{rows}".encode()),
            },
            follow=True,
        )
    outcomes = [result.outcome for result in response.context["results"]]
    assert outcomes == ["invited"] * 50 + ["over_limit"] * 1950
    assert len(mail.outbox) == 50
    # Nothing is kept for the rows over the limit.
    assert EmailInvitation.objects.count() == 50
    assert AuditEvent.objects.filter(action=Action.INVITATION_CREATED).count() == 50
    page = response.content.decode()
    assert "1950 invitations were not sent" in page
    assert "you can invite 50 people a day" in page
    assert page.count("Not sent: over today&#x27;s limit") == 1950

    # Inside the verified domain there is no such limit; outside, the day's allowance is gone.
    response = invite(
        force_x,
        cohort,
        "a@force-x.police.uk\nB@Force-X.Police.UK\nlater@elsewhere.example",
        django_capture_on_commit_callbacks,
    )
    outcomes = [(result.email, result.outcome) for result in response.context["results"]]
    assert outcomes == [
        ("a@force-x.police.uk", "invited"),
        ("b@force-x.police.uk", "invited"),
        ("later@elsewhere.example", "over_limit"),
    ]
    assert len(mail.outbox) == 52


def test_the_limit_is_per_trainer(force_x, force_y, limited, django_capture_on_commit_callbacks):
    addresses = "\n".join(f"person{number}@elsewhere.example" for number in range(60))
    results_x = invite(
        force_x, force_x.cohort(), addresses, django_capture_on_commit_callbacks
    ).context["results"]
    results_y = invite(
        force_y, force_y.cohort(), addresses, django_capture_on_commit_callbacks
    ).context["results"]
    for results in (results_x, results_y):
        assert [r.outcome for r in results].count("invited") == 50


def test_a_unit_has_its_parent_organisations_domains(
    force_x, limited, django_capture_on_commit_callbacks
):
    force_x.organisation.parent = OrganisationFactory(email_domains="force.police.uk")
    force_x.organisation.save()
    invite(force_x, force_x.cohort(), "new@force.police.uk", django_capture_on_commit_callbacks)
    assert not EmailInvitation.objects.get().outside_verified_domains


# The administrators' list --------------------------------------------------------------


def signed_in(user):
    client = Client()
    if user.groups.filter(name="Learner").exists():
        sign_in(client, user.email)
    else:
        sign_in_with_totp(client, user, enrol_totp(user))
    return client


def test_outside_invitations_are_listed_for_administrators_only(
    force_x, force_y, django_capture_on_commit_callbacks
):
    force_x.organisation.email_domains = "force-x.police.uk"
    force_x.organisation.save()
    force_x.trainer.display_name = "Taylor Trainer"
    force_x.trainer.save()
    cohort = force_x.cohort("Spring intake")
    invite(
        force_x,
        cohort,
        "stranger@elsewhere.example\ncolleague@force-x.police.uk",
        django_capture_on_commit_callbacks,
    )
    url = reverse("outside_invitations:index")

    administrator = signed_in(UserFactory(is_superuser=True, is_staff=True))
    page = administrator.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    for shown in ("stranger@elsewhere.example", "Taylor Trainer", "Force X", "Spring intake"):
        assert shown in text
    assert "colleague@force-x.police.uk" not in text
    menu = administrator.get(reverse("wagtailadmin_home")).content.decode()
    assert "Invitations outside verified domains" in menu

    filtered = administrator.get(url, {"organisation": force_y.organisation.pk})
    assert "stranger@elsewhere.example" not in filtered.content.decode()

    for refused in (
        force_x.client,
        signed_in(UserFactory(role="Learner", organisation=force_x.organisation)),
        signed_in(UserFactory(role="Publisher")),
    ):
        assert refused.get(url).status_code == 403


def test_administrators_set_verified_domains_as_domain_names(force_x):
    administrator = signed_in(UserFactory(is_superuser=True, is_staff=True))
    organisation = force_x.organisation
    url = reverse("organisations:edit", args=[organisation.pk])
    data = {"name": organisation.name, "slug": organisation.slug, "sector": organisation.sector}

    refused = administrator.post(url, {**data, "email_domains": "force-x.police.uk\nhttp://x y"})
    assert refused.status_code == 200
    assert "Not a domain name: http://x" in refused.content.decode()
    organisation.refresh_from_db()
    assert organisation.email_domains == ""

    typed = "Force-X.Police.UK.\nmail.force-x.police.uk, force-x.police.uk"
    response = administrator.post(url, {**data, "email_domains": typed})
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert organisation.email_domains == "force-x.police.uk\nmail.force-x.police.uk"
    assert organisation.verified_domains() == {"force-x.police.uk", "mail.force-x.police.uk"}


def test_an_invitation_made_before_the_trainer_left_still_names_the_organisation(force_x):
    cohort = force_x.cohort()
    invitation = EmailInvitation.objects.create(cohort=cohort, email="late@example.org")
    mail.outbox.clear()
    queue_invitation_email(invitation.pk)
    (message,) = mail.outbox
    assert message.subject == "A trainer of Force X invited you to training on Recognise"


@pytest.mark.usefixtures("production_cache")
def test_the_outside_invitations_list_costs_the_same_queries_at_two_sizes(force_x):
    administrator = signed_in(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("outside_invitations:index")
    cohort = force_x.cohort("Spring intake")

    def queries_with(total):
        EmailInvitation.objects.bulk_create(
            EmailInvitation(
                cohort=cohort,
                email=f"person{number}@elsewhere.example",
                invited_by=force_x.trainer,
                outside_verified_domains=True,
            )
            for number in range(EmailInvitation.objects.count(), total)
        )
        assert administrator.get(url).status_code == 200
        with counting_queries() as queries:
            page = administrator.get(url)
        assert page.status_code == 200
        return len(queries), page.content.decode().count("@elsewhere.example")

    small, shown_small = queries_with(3)
    large, shown_large = queries_with(120)
    # One page of 50 rows, whatever the total; no query per row or per organisation.
    assert (shown_small, shown_large) == (3, 50)
    assert large == small
