"""factory_boy factories shared by every test package."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from recognise.accounts.models import Membership, Organisation, Sector, User

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    sector = Sector.POLICE


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a verified email address who can sign in with PASSWORD.

    role: a group name from recognise.accounts.roles; organisation: joins it.
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=obj, email=obj.email, primary=True, verified=extracted is not False
            )
            obj.save()

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def organisation(obj, create, extracted, **kwargs):
        if create and extracted:
            Membership.objects.create(user=obj, organisation=extracted)


# Pages -----------------------------------------------------------------------
# Wagtail pages need a place in the tree, so these are functions rather than factories.

import datetime  # noqa: E402
from decimal import Decimal  # noqa: E402

from courses.models import (  # noqa: E402
    CatalogueIndexPage,
    CoursePage,
    CourseSector,
    LessonPage,
    SectorIndexPage,
    SectorPage,
)
from recognise.home.models import HomePage  # noqa: E402

SOURCE = {
    "type": "source",
    "value": {"title": "Modern Slavery Act 2015", "organisation": "UK Parliament", "year": 2015},
}


def home_page():
    return HomePage.objects.get(depth=2)


def make_catalogue():
    existing = CatalogueIndexPage.objects.first()
    if existing:
        return existing
    return home_page().add_child(instance=CatalogueIndexPage(title="Courses", slug="courses"))


def make_sector_page(sector, title=None):
    index = SectorIndexPage.objects.first() or home_page().add_child(
        instance=SectorIndexPage(title="Your sector", slug="sectors")
    )
    return index.add_child(
        instance=SectorPage(
            title=title or sector.title(),
            slug=sector,
            sector=sector,
            introduction=f"Introduction for {sector}.",
            responsibilities="<p>Act on your concerns.</p>",
        )
    )


def make_course(title="Core course", sectors=("police",), prerequisites=(), lessons=3, live=True):
    course = CoursePage(
        title=title,
        summary=f"Summary of {title}.",
        learning_outcomes=[{"type": "outcome", "value": "Recognise the signs."}],
        estimated_minutes=30,
        cpd_hours=Decimal("1.0"),
        certificate_validity_months=24,
        last_reviewed=datetime.date(2026, 11, 1),
        next_review=datetime.date(2027, 11, 1),
        live=live,
    )
    course.course_sectors = [CourseSector(sector=sector) for sector in sectors]
    make_catalogue().add_child(instance=course)
    if prerequisites:
        course.prerequisites.set(prerequisites)
        course.save()
    for number in range(1, lessons + 1):
        make_lesson(course, f"{title} lesson {number}")
    return course


def make_lesson(course, title, required=True, live=True, body=None):
    return course.add_child(
        instance=LessonPage(
            title=title,
            required=required,
            live=live,
            body=body or [{"type": "rich_text", "value": f"<p>Text of {title}.</p>"}],
            sources=[SOURCE],
        )
    )
