"""A demo cohort of 30 officers in varied states, so the trainer's dashboard means
something at first sight. Names are invented; progress is generated, not real."""

import datetime
import random

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from accounts.models import Membership, Organisation, User
from accounts.roles import LEARNER
from certificates.figures import refresh_certificate_expiry
from certificates.issuing import issue_certificate_for
from cohorts.assigning import add_member, assign
from cohorts.models import Cohort
from courses.models import CoursePage, Enrolment, LessonCompletion
from learning import progress_summary
from quizzes.models import AssessmentPage, Attempt

from .people import DEMO_PASSWORD

COHORT_NAME = "Response officers, January intake"
FIRST_NAMES = ["Aled", "Bethan", "Cai", "Dylan", "Efa", "Ffion", "Gareth", "Hana", "Ifan", "Jac"]
LAST_NAMES = ["Evans", "Khan", "Morgan", "Okafor", "Price", "Shah"]
COHORT_SIZE = 30


def demo_officers(organisation):
    group = Group.objects.get(name=LEARNER)
    officers = []
    for number in range(1, COHORT_SIZE + 1):
        email = f"officer{number:02d}@example.org"
        first = FIRST_NAMES[number % len(FIRST_NAMES)]
        last = LAST_NAMES[number % len(LAST_NAMES)]
        name = f"{first} {last} {number:02d}"
        user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(group)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        Membership.objects.get_or_create(user=user, organisation=organisation)
        officers.append(user)
    return officers


def complete(enrolment, when):
    for lesson in enrolment.course.lessons().filter(required=True):
        LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    for number, final in enumerate(
        AssessmentPage.objects.child_of(enrolment.course).filter(kind="final"), start=1
    ):
        attempt = Attempt.objects.create(
            user=enrolment.user,
            assessment=final,
            number=number,
            percent=90,
            passed=True,
            max_score=10,
        )
        Attempt.objects.filter(pk=attempt.pk).update(started_at=when, submitted_at=when)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        completed_at=when, cycle_started_at=when - datetime.timedelta(days=1)
    )
    enrolment.refresh_from_db()
    issue_certificate_for(enrolment)


def partly_complete(enrolment, lessons):
    for lesson in enrolment.course.lessons().filter(required=True)[:lessons]:
        LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)


@transaction.atomic
def load_demo_cohort(trainer_email="trainer@example.org"):
    organisation = Organisation.objects.get(slug="demo-constabulary")
    trainer = User.objects.get(email=trainer_email)
    cohort, created = Cohort.objects.get_or_create(
        organisation=organisation, name=COHORT_NAME, defaults={"created_by": trainer}
    )
    if not created:
        return cohort
    officers = demo_officers(organisation)
    for officer in officers:
        add_member(cohort, officer)
    today = timezone.localdate()
    core = CoursePage.objects.get(slug="recognising-and-responding", locale=Locale.get_default())
    police = CoursePage.objects.get(slug="police", locale=Locale.get_default())
    # The core course is set last, so the cohort's dashboard opens on it, with its
    # overdue learners.
    assign(police, today + datetime.timedelta(days=30), organisation, trainer, cohort=cohort)
    assign(core, today - datetime.timedelta(days=7), organisation, trainer, cohort=cohort)

    # Fixed seed: the same demo every time (not for anything secret).
    rng = random.Random(2007)  # noqa: S311
    now = timezone.now()
    for index, officer in enumerate(officers):
        core_enrolment = Enrolment.objects.get(user=officer, course=core)
        if index < 14:  # finished the core course over the last ten weeks
            complete(core_enrolment, now - datetime.timedelta(days=rng.randint(8, 70)))
            police_enrolment = Enrolment.objects.get(user=officer, course=police)
            if index < 4:
                complete(police_enrolment, now - datetime.timedelta(days=rng.randint(1, 6)))
            elif index < 9:
                partly_complete(police_enrolment, rng.randint(1, 3))
        elif index < 22:  # part-way through, now overdue
            partly_complete(core_enrolment, rng.randint(1, 4))
    # The history above is written directly; the dashboards read its figures.
    for course in (core, police):
        progress_summary.refresh(course.path)
        refresh_certificate_expiry(course.path)
    return cohort
