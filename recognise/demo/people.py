"""Demo organisations and one account per role, for local development only.

The passwords and the authenticator secret are published in the README, which
is why settings.DEMO_DATA_ALLOWED is off in production.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Membership, Organisation, Sector, User
from accounts.roles import LEARNER, NGO_EDITOR, PUBLISHER, SAFEGUARDING_REVIEWER, TRAINER

DEMO_PASSWORD = "recognise-demo-password"  # noqa: S105 (published on purpose)
# Base32 secret shared by the staff demo accounts; `manage.py demo_totp` prints its code.
DEMO_TOTP_SECRET = "OJSWG33HNZUXGZJNMRSW23ZNORXXI4BB"  # noqa: S105


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    sector: str
    parent: str = ""
    # Every demo address is at example.org; a unit has its parent's domains as well.
    email_domains: str = "example.org"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    role: str
    organisation: str
    superuser: bool = False

    @property
    def needs_mfa(self):
        return self.role != LEARNER or self.superuser


DEMO_ORGANISATIONS = [
    DemoOrganisation("demo-constabulary", "Demo Constabulary", Sector.POLICE),
    DemoOrganisation(
        "demo-constabulary-public-protection",
        "Demo Constabulary Public Protection Unit",
        Sector.POLICE,
        parent="demo-constabulary",
        email_domains="",
    ),
    DemoOrganisation("demo-childrens-charity", "Demo Children's Charity", Sector.NGO),
    DemoOrganisation("demo-youth-support", "Demo Youth Support Network", Sector.NGO),
]

DEMO_ACCOUNTS = [
    DemoAccount("learner@example.org", "Alex Learner", LEARNER, "demo-constabulary"),
    DemoAccount("learner2@example.org", "Bryn Learner", LEARNER, "demo-childrens-charity"),
    DemoAccount("trainer@example.org", "Taylor Trainer", TRAINER, "demo-constabulary"),
    DemoAccount("trainer2@example.org", "Tomos Trainer", TRAINER, "demo-childrens-charity"),
    DemoAccount("editor@example.org", "Eden Editor", NGO_EDITOR, "demo-childrens-charity"),
    DemoAccount("editor2@example.org", "Elis Editor", NGO_EDITOR, "demo-youth-support"),
    DemoAccount(
        "reviewer@example.org", "Robin Reviewer", SAFEGUARDING_REVIEWER, "demo-childrens-charity"
    ),
    DemoAccount("publisher@example.org", "Parker Publisher", PUBLISHER, "demo-childrens-charity"),
    DemoAccount("admin@example.org", "Ash Administrator", PUBLISHER, "", superuser=True),
]


@transaction.atomic
def load_demo_organisations():
    organisations = {}
    for demo in DEMO_ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            slug=demo.slug,
            defaults={
                "name": demo.name,
                "sector": demo.sector,
                "parent": organisations.get(demo.parent),
                "email_domains": demo.email_domains,
            },
        )
        organisations[demo.slug] = organisation
    return organisations


@transaction.atomic
def load_demo_accounts(organisations):
    groups = {group.name: group for group in Group.objects.all()}
    users = []
    for demo in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(
            email=demo.email, defaults={"display_name": demo.display_name}
        )
        user.display_name = demo.display_name
        user.is_superuser = user.is_staff = demo.superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([groups[demo.role]])
        EmailAddress.objects.update_or_create(
            user=user, email=demo.email, defaults={"verified": True, "primary": True}
        )
        if demo.organisation:
            Membership.objects.get_or_create(
                user=user, organisation=organisations[demo.organisation]
            )
        if (
            demo.needs_mfa
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
        users.append((demo, user))
    return users
