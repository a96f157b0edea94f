"""Benchmark organisations, accounts and cohorts.

Every learner belongs to the large organisation (the first) and to one other, their
home organisation. The large organisation has a single cohort holding every learner,
run by the bench trainer; the other cohorts are spread over the other organisations,
each learner in one cohort of their home organisation.
"""

import datetime
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts.models import Membership, Organisation, Sector, User
from accounts.natural_names import natural_key
from accounts.roles import LEARNER, TRAINER
from cohorts.models import Assignment, Cohort, CohortMember

from .sizes import LARGE_COHORT_COURSES, MAX_COURSES_PER_COHORT

BENCH_LEARNER_EMAIL = "bench-learner@example.org"
BENCH_TRAINER_EMAIL = "bench-trainer@example.org"
LEARNER_EMAIL_PREFIX = "bench-learner"
TRAINER_EMAIL_PREFIX = "bench-trainer"
ORGANISATION_SLUG_PREFIX = "bench-organisation-"
LARGE_COHORT_NAME = "All learners"
FIRST_NAMES = [
    "Aled", "Amira", "Bethan", "Cai", "Chloe", "Dafydd", "Dylan", "Efa", "Ffion", "Gareth",
    "Grace", "Hana", "Ifan", "Imran", "Jac", "Kemi", "Lowri", "Mei", "Nia", "Oliver",
    "Priya", "Rhys", "Sian", "Tomasz", "Yusuf", "Zara",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Brown", "Davies", "Evans", "Hughes", "Jones", "Khan", "Kowalski", "Lewis",
    "Morgan", "Nguyen", "Okafor", "Patel", "Price", "Roberts", "Shah", "Thomas", "Williams",
]  # fmt: skip
DAY = datetime.timedelta(days=1)


@dataclass
class CohortPlan:
    organisation: int
    name: str
    courses: list
    learners: list = field(default_factory=list)


@dataclass
class People:
    learner_ids: list
    learner_names: list
    # For each learner, the courses (by index) their cohorts were assigned, in order.
    assigned_courses: list


def learner_email(index):
    if index == 0:
        return BENCH_LEARNER_EMAIL
    return f"{LEARNER_EMAIL_PREFIX}-{index + 1:05d}@example.org"


def trainer_email(index):
    if index == 0:
        return BENCH_TRAINER_EMAIL
    return f"{TRAINER_EMAIL_PREFIX}-{index + 1:02d}@example.org"


def home_organisation(learner, organisations):
    return 1 + learner % (organisations - 1)


def plan_cohorts(sizes, rng):
    """Who is in which cohort, and which courses each cohort was assigned."""
    plans = [CohortPlan(0, LARGE_COHORT_NAME, list(range(LARGE_COHORT_COURSES)))]
    plans[0].learners = list(range(sizes.learners))
    others = sizes.organisations - 1
    pool = range(LARGE_COHORT_COURSES, sizes.courses)
    for number in range(1, sizes.cohorts):
        count = rng.randint(1, MAX_COURSES_PER_COHORT)
        plans.append(
            CohortPlan(
                organisation=1 + (number - 1) % others,
                name=f"Bench cohort {number:03d}",
                courses=sorted(rng.sample(pool, count)),
            )
        )
    by_organisation = {}
    for plan in plans[1:]:
        by_organisation.setdefault(plan.organisation, []).append(plan)
    for learner in range(sizes.learners):
        choices = by_organisation.get(home_organisation(learner, sizes.organisations))
        if choices:
            choices[(learner // others) % len(choices)].learners.append(learner)
    return plans


def create_organisations(sizes, epoch, inserted):
    sectors = list(Sector.values)
    organisations = [
        Organisation(
            name=(
                "Bench Organisation 01 (all learners)"
                if number == 1
                else f"Bench Organisation {number:02d}"
            ),
            slug=f"{ORGANISATION_SLUG_PREFIX}{number:02d}",
            sector=sectors[(number - 1) % len(sectors)],
            created_at=epoch - 400 * DAY,
        )
        for number in range(1, sizes.organisations + 1)
    ]
    return [o.pk for o in inserted.insert(Organisation, organisations)]


def create_accounts(emails, names, password_hash, joined, inserted):
    users = inserted.insert(
        User,
        [
            User(
                email=email,
                display_name=name,
                # Inserted without save(), which keeps the sort key on every other path.
                natural_name=natural_key(name or email),
                password=password_hash,
                date_joined=when,
            )
            for email, name, when in zip(emails, names, joined, strict=True)
        ],
    )
    inserted.insert(
        EmailAddress,
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
    )
    return users


def add_to_group(users, name, inserted):
    group = Group.objects.get(name=name)
    through = User.groups.through
    inserted.insert(through, [through(user_id=user.pk, group_id=group.pk) for user in users])


def create_people(sizes, rng, epoch, password, totp_secret, course_ids, inserted):
    organisation_ids = create_organisations(sizes, epoch, inserted)
    # One hash for every account: hashing 10,000 passwords would take minutes.
    password_hash = make_password(password)
    names = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(sizes.learners)]
    joined = [
        epoch - 400 * DAY + datetime.timedelta(seconds=rng.randint(0, 86_400))
        for _ in range(sizes.learners)
    ]
    learners = create_accounts(
        [learner_email(i) for i in range(sizes.learners)], names, password_hash, joined, inserted
    )
    add_to_group(learners, LEARNER, inserted)
    trainers = create_accounts(
        [trainer_email(i) for i in range(sizes.organisations)],
        [f"Bench Trainer {i + 1:02d}" for i in range(sizes.organisations)],
        password_hash,
        [epoch - 400 * DAY] * sizes.organisations,
        inserted,
    )
    add_to_group(trainers, TRAINER, inserted)
    # Trainers must use MFA, so the bench trainer needs an authenticator to sign in.
    TOTP.activate(trainers[0], totp_secret)

    memberships = [
        Membership(
            user_id=trainer.pk,
            organisation_id=organisation_ids[index],
            joined_at=trainer.date_joined,
        )
        for index, trainer in enumerate(trainers)
    ]
    for index, learner in enumerate(learners):
        for organisation in (0, home_organisation(index, sizes.organisations)):
            memberships.append(
                Membership(
                    user_id=learner.pk,
                    organisation_id=organisation_ids[organisation],
                    joined_at=learner.date_joined,
                    # The large organisation's exports carry a staff number on every row.
                    staff_number=f"BN{index + 1:05d}" if organisation == 0 else "",
                )
            )
    inserted.insert(Membership, memberships)

    plans = plan_cohorts(sizes, rng)
    create_cohorts(plans, organisation_ids, trainers, learners, course_ids, epoch, rng, inserted)
    assigned = [[] for _ in learners]
    for plan in plans:
        for learner in plan.learners:
            assigned[learner].extend(plan.courses)
    return People(
        learner_ids=[learner.pk for learner in learners],
        learner_names=names,
        assigned_courses=assigned,
    )


def create_cohorts(plans, organisation_ids, trainers, learners, course_ids, epoch, rng, inserted):
    created_at = epoch - 380 * DAY
    cohorts = inserted.insert(
        Cohort,
        [
            Cohort(
                organisation_id=organisation_ids[plan.organisation],
                name=plan.name,
                created_by_id=trainers[plan.organisation].pk,
                created_at=created_at,
            )
            for plan in plans
        ],
    )
    inserted.insert(
        CohortMember,
        [
            CohortMember(cohort_id=cohort.pk, user_id=learners[learner].pk, added_at=created_at)
            for cohort, plan in zip(cohorts, plans, strict=True)
            for learner in plan.learners
        ],
    )
    assignments = []
    for number, (cohort, plan) in enumerate(zip(cohorts, plans, strict=True)):
        for position, course in enumerate(plan.courses):
            if number == 0:
                # The large cohort has one assignment past its due date and one still open.
                due = epoch + (30 if position else -30) * DAY
            else:
                due = epoch + rng.randint(-90, 90) * DAY
            assignments.append(
                Assignment(
                    cohort_id=cohort.pk,
                    organisation_id=cohort.organisation_id,
                    course_id=course_ids[course],
                    due_date=due.date(),
                    assigned_by_id=cohort.created_by_id,
                    created_at=created_at + DAY,
                )
            )
    inserted.insert(Assignment, assignments)
