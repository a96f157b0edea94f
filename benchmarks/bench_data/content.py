"""Benchmark courses, lessons, assessments and their question banks.

Pages go through Wagtail's tree API and are published with a revision, as an editor's
would be, so paths, revisions and the search and reference indexes stay consistent.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from wagtail.models import Locale

from accounts.models import Sector
from courses.models import CatalogueIndexPage, CoursePage, CourseSector, LessonPage
from quizzes import scoring
from quizzes.models import AssessmentPage, Question, QuestionCategory, QuestionOption
from recognise.home.models import HomePage

COURSE_SLUG_PREFIX = "bench-course-"
PASS_MARK = 80
SOURCE = {
    "type": "source",
    "value": {
        "title": "Modern Slavery Act 2015",
        "organisation": "UK Parliament",
        "year": 2015,
        "url": "",
    },
}
TOPICS = [
    "Spotting the signs",
    "Talking with a child",
    "Making a referral",
    "Working with partners",
    "Recording concerns",
    "After the referral",
]
# Question kinds in the order they recur in each bank, with their scoring rule.
KINDS = [
    (scoring.SINGLE, scoring.ALL_OR_NOTHING),
    (scoring.MULTIPLE, scoring.ALL_OR_NOTHING),
    (scoring.TRUE_FALSE, scoring.ALL_OR_NOTHING),
    (scoring.ORDERING, scoring.ALL_OR_NOTHING),
    (scoring.MULTIPLE, scoring.PARTIAL),
]


@dataclass(frozen=True)
class BankQuestion:
    """What attempts need from a question: its options in editor order and the answer."""

    pk: int
    kind: str
    rule: str
    option_ids: tuple
    correct_ids: frozenset


@dataclass(frozen=True)
class BenchCourse:
    pk: int
    slug: str
    title: str
    cpd_hours: Decimal
    validity_months: int
    sector_labels: str
    lesson_ids: tuple
    assessment_id: int
    questions: tuple


def publish(parent, page):
    parent.add_child(instance=page)
    # add_child has just validated the page, so the revision need not do it again.
    page.save_revision(clean=False).publish()
    return page


def catalogue():
    existing = CatalogueIndexPage.objects.filter(locale=Locale.get_default()).first()
    if existing:
        return existing
    home = HomePage.objects.get(depth=2, locale__language_code=settings.LANGUAGE_CODE)
    return publish(home, CatalogueIndexPage(title="Courses", slug="courses"))


def option_rows(kind, number):
    """(text, correct) pairs in editor order; for ordering, the steps in the right order."""
    if kind == scoring.TRUE_FALSE:
        return [("True", number % 2 == 0), ("False", number % 2 == 1)]
    if kind == scoring.ORDERING:
        return [(f"Step {step}", False) for step in range(1, 5)]
    if kind == scoring.MULTIPLE:
        return [(f"Option {letter}", letter in "AC") for letter in "ABCDE"]
    return [(f"Option {letter}", letter == "ABCD"[number % 4]) for letter in "ABCD"]


def question_bank(course_number, count, locale):
    """The course's category and questions; options are returned unsaved, to insert at once."""
    slug = f"{COURSE_SLUG_PREFIX}{course_number:02d}"
    category = QuestionCategory.objects.create(
        slug=slug, locale=locale, name=f"Benchmark course {course_number:02d}"
    )
    questions, options = [], []
    for number in range(count):
        kind, rule = KINDS[number % len(KINDS)]
        question = Question.objects.create(
            slug=f"{slug}-q{number + 1:02d}",
            locale=locale,
            category=category,
            kind=kind,
            scoring_rule=rule,
            prompt=f"Benchmark question {number + 1} of course {course_number:02d}?",
            explanation="Generated for benchmarks.",
            source_reference="Modern Slavery Act 2015, UK Parliament, 2015",
        )
        questions.append(question)
        options += [
            QuestionOption(question=question, sort_order=index, text=text, is_correct=correct)
            for index, (text, correct) in enumerate(option_rows(kind, number))
        ]
    return questions, options


def course_page(number):
    sectors = list(Sector.values)
    title = f"Benchmark course {number:02d}: {TOPICS[number % len(TOPICS)]}"
    page = CoursePage(
        title=title,
        slug=f"{COURSE_SLUG_PREFIX}{number:02d}",
        summary=f"Generated course {number:02d} for performance measurements.",
        learning_outcomes=[{"type": "outcome", "value": "Recognise the signs."}],
        estimated_minutes=60,
        cpd_hours=Decimal("1.0") + Decimal("0.5") * (number % 4),
        # Some courses expire after a year, so the data holds expiring certificates.
        certificate_validity_months=12 if number % 5 == 0 else 24,
        last_reviewed=datetime.date(2026, 6, 1),
        next_review=datetime.date(2027, 6, 1),
    )
    # Every other course is written for two sectors.
    chosen = [sectors[number % len(sectors)]]
    if number % 2 == 0:
        chosen.append(sectors[(number + 3) % len(sectors)])
    page.course_sectors = [CourseSector(sector=sector) for sector in chosen]
    return page


def lesson_page(course_number, number):
    title = f"Lesson {number} of course {course_number:02d}"
    return LessonPage(
        title=title,
        slug=f"lesson-{number:02d}",
        summary=f"Summary of {title.lower()}.",
        body=[{"type": "rich_text", "value": f"<p>Text of {title.lower()}.</p>"}],
        sources=[SOURCE],
    )


def create_course(catalogue_page, number, lessons, question_count, locale):
    course = publish(catalogue_page, course_page(number))
    lesson_ids = tuple(
        publish(course, lesson_page(number, lesson)).pk for lesson in range(1, lessons + 1)
    )
    questions, options = question_bank(number, question_count, locale)
    QuestionOption.objects.bulk_create(options)
    assessment = publish(
        course,
        AssessmentPage(
            title="Final assessment",
            slug="final-assessment",
            kind=AssessmentPage.Kind.FINAL,
            items=[{"type": "question", "value": question.pk} for question in questions],
            pass_mark=PASS_MARK,
        ),
    )
    by_question = {}
    for option in options:
        by_question.setdefault(option.question_id, []).append(option)
    bank = tuple(
        BankQuestion(
            pk=question.pk,
            kind=question.kind,
            rule=question.scoring_rule,
            option_ids=tuple(option.pk for option in by_question[question.pk]),
            correct_ids=frozenset(o.pk for o in by_question[question.pk] if o.is_correct),
        )
        for question in questions
    )
    return BenchCourse(
        pk=course.pk,
        slug=course.slug,
        title=course.title,
        cpd_hours=course.cpd_hours,
        validity_months=course.certificate_validity_months,
        sector_labels=", ".join(str(label) for label in course.sector_labels()),
        lesson_ids=lesson_ids,
        assessment_id=assessment.pk,
        questions=bank,
    )


def create_courses(sizes):
    locale = Locale.get_default()
    parent = catalogue()
    return [
        create_course(
            parent, number, sizes.lessons_per_course, sizes.questions_per_assessment, locale
        )
        for number in range(1, sizes.courses + 1)
    ]
