"""factory_boy factories shared by every test package."""

import factory
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group

from accounts.models import Membership, Organisation, Sector, User

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

    role: a group name from accounts.roles; organisation: joins it.
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name", locale="en_GB")
    # Stored hashed as the account is created: setting it afterwards would be audited as
    # a password change.
    password = factory.django.Password(PASSWORD)

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
from reports.tokens import create_token  # noqa: E402

SOURCE = {
    "type": "source",
    "value": {"title": "Modern Slavery Act 2015", "organisation": "UK Parliament", "year": 2015},
}


def home_page():
    return HomePage.objects.get(depth=2, locale__language_code=settings.LANGUAGE_CODE)


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


def welsh_translation(page, title):
    """A published Welsh translation of the page, titled `title`, with its ancestors'."""
    welsh = Locale.objects.get_or_create(language_code="cy")[0]
    for ancestor in page.get_ancestors()[1:]:
        if not ancestor.get_translations().filter(locale=welsh).exists():
            ancestor.specific.copy_for_translation(welsh).save_revision().publish()
    translation = page.copy_for_translation(welsh)
    translation.title = title
    translation.save_revision().publish()
    return translation


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


# Question bank and assessments ---------------------------------------------------

from wagtail.models import Locale  # noqa: E402

from quizzes.models import (  # noqa: E402
    AssessmentPage,
    Question,
    QuestionCategory,
    QuestionOption,
    ScenarioGroup,
)


def make_category(slug="core"):
    category, _created = QuestionCategory.objects.get_or_create(
        slug=slug, locale=Locale.get_default(), defaults={"name": slug.title()}
    )
    return category


def make_question(
    prompt="Does a child need to consent?",
    kind="single",
    options=(("Yes", False), ("No", True), ("Only if over 16", False)),
    category=None,
    scenario=None,
    rule="all_or_nothing",
    position=0,
):
    question = Question.objects.create(
        slug=f"q-{Question.objects.count() + 1}-{kind}",
        locale=Locale.get_default(),
        category=category or make_category(),
        scenario=scenario,
        position_in_scenario=position,
        kind=kind,
        scoring_rule=rule,
        prompt=prompt,
        explanation="Consent is irrelevant for a child.",
        source_reference="Modern Slavery Act 2015, UK Parliament, 2015",
    )
    for index, (text, correct) in enumerate(options):
        QuestionOption.objects.create(
            question=question,
            sort_order=index,
            text=text,
            is_correct=correct,
            feedback=f"Feedback on {text}",
        )
    return question


def make_scenario(title="A child at the airport", category=None):
    return ScenarioGroup.objects.create(
        slug=f"scenario-{ScenarioGroup.objects.count() + 1}",
        locale=Locale.get_default(),
        title=title,
        category=category or make_category(),
        stem="<p>This scenario is fictional. A girl arrives with an adult.</p>",
    )


def make_assessment(course, questions=(), scenarios=(), random=(), **rules):
    items = [{"type": "question", "value": question.pk} for question in questions]
    items += [{"type": "scenario", "value": scenario.pk} for scenario in scenarios]
    items += [
        {"type": "random_questions", "value": {"category": category.pk, "count": count}}
        for category, count in random
    ]
    defaults = {
        "title": "Final assessment",
        "slug": "final-assessment",
        "kind": "final",
        "pass_mark": 80,
        "max_attempts": 0,
        "cooldown_minutes": 0,
        "shuffle_options": True,
        # Most tests answer the whole paper in one form; paged attempts have tests of their own.
        "layout": "one_page",
    }
    defaults.update(rules)
    return course.add_child(instance=AssessmentPage(items=items, **defaults))


# Guidance ------------------------------------------------------------------------

from guidance.models import (  # noqa: E402
    GuidanceIndexPage,
    GuidancePage,
    GuidanceSectionPage,
    GuidanceSector,
)


def make_guidance_index():
    existing = GuidanceIndexPage.objects.first()
    if existing:
        return existing
    return home_page().add_child(instance=GuidanceIndexPage(title="Guidance", slug="guidance"))


def make_guidance_section(organisation):
    return make_guidance_index().add_child(
        instance=GuidanceSectionPage(
            title=organisation.name, slug=organisation.slug, organisation=organisation
        )
    )


def make_guidance(section, title="Using interpreters", sectors=("police",), live=True, **fields):
    page = GuidancePage(
        title=title,
        summary=fields.pop("summary", f"Summary of {title}."),
        body=fields.pop("body", [{"type": "rich_text", "value": f"<p>Body of {title}.</p>"}]),
        sources=[SOURCE],
        last_reviewed=fields.pop("last_reviewed", datetime.date(2026, 11, 1)),
        next_review=fields.pop("next_review", datetime.date(2027, 11, 1)),
        live=live,
        **fields,
    )
    page.audience_sectors = [GuidanceSector(sector=sector) for sector in sectors]
    return section.add_child(instance=page)


# Reporting API -----------------------------------------------------------------------


def make_api_token(organisation, name="HR system", created_by=None):
    """An API token of the organisation: (token, the key a client sends)."""
    return create_token(organisation, name, created_by)
