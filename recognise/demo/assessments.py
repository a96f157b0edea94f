"""Load the demo question bank and assessments from content/assessments/*.yaml.

Questions, scenarios and categories are matched by slug, assessments by slug under
their course; nothing is rewritten or republished unless the file changed.

Each file has a category for its questions; a scenario or question may name another
(`category:`), listed with its title under `categories:`, so an assessment can draw
from part of a file (`random_scenarios` / `random_questions` with `category` and
`count`).
"""

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale

from courses.models import CoursePage, LessonPage
from quizzes import scoring
from quizzes.models import AssessmentPage, Question, QuestionCategory, QuestionOption, ScenarioGroup

from .loading import ContentError, read_yaml, save_page, stream_prep
from .translations import publish

ASSESSMENT_FIELDS = [
    "title",
    "kind",
    "introduction",
    "pass_mark",
    "max_attempts",
    "cooldown_minutes",
    "time_limit_minutes",
    "shuffle_options",
    "layout",
    "feedback",
]
# What a file may leave out, by kind: a final assessment waits long enough between
# attempts to revisit the lessons and shows the keys once passed (or no attempts left).
DEFAULTS = {
    "final": {"cooldown_minutes": 60, "feedback": "once_passed", "layout": "paged"},
    "knowledge_check": {
        "cooldown_minutes": 0,
        "feedback": "after_each_answer",
        "layout": "one_page",
    },
}
# The settings a Welsh assessment page shares with its English original.
RULE_FIELDS = [
    "kind",
    "pass_mark",
    "max_attempts",
    "cooldown_minutes",
    "time_limit_minutes",
    "shuffle_options",
    "layout",
    "feedback",
]
RANDOM_ITEMS = ("random_scenarios", "random_questions")


def update_fields(instance, values):
    changed = instance.pk is None
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    if changed:
        instance.save()
    return instance


def differs(instance, values):
    return instance.pk is None or any(getattr(instance, n) != v for n, v in values.items())


def publish_loaded(instance, changed):
    """Learners read only published versions: what the file says is published as a
    revision (as the review workflow's last step would), unless nothing changed."""
    if changed or not instance.live or instance.live_revision_id is None:
        instance.save_revision().publish()


def option_rows(data):
    return [
        (
            option["text"].strip(),
            bool(option.get("correct")),
            (option.get("feedback") or "").strip(),
        )
        for option in data["options"]
    ]


def bank_slug(category, slug):
    """Slugs are unique in the whole bank, so each file's are prefixed with its category."""
    prefix = f"{category.slug}-"
    return slug if slug.startswith(prefix) else prefix + slug


def load_question(data, category, locale, scenario=None, position=0, file_category=None):
    """A question; its slug is prefixed with its file's category, whatever its own."""
    kind = data["kind"]
    slug = bank_slug(file_category or category, data["slug"])
    rule = data.get("scoring", scoring.ALL_OR_NOTHING)
    rows = option_rows(data)
    problems = scoring.question_problems(kind, [(text, correct) for text, correct, _ in rows], rule)
    if problems:
        raise ContentError(f"question {data['slug']}: {' '.join(problems)}")
    question = Question.objects.filter(slug=slug, locale=locale).first() or Question(
        slug=slug, locale=locale
    )
    fields = {
        "category_id": category.pk,
        "scenario_id": scenario.pk if scenario else None,
        "position_in_scenario": position,
        "kind": kind,
        "scoring_rule": rule,
        "prompt": data["prompt"].strip(),
        "explanation": data["explanation"].strip(),
        "source_reference": data["source"].strip(),
    }
    changed = differs(question, fields)
    update_fields(question, fields)
    changed = replace_options(question, rows) or changed
    publish_loaded(question, changed)
    return question


def replace_options(question, rows):
    """Give the question exactly these (text, correct, feedback) options, in order."""
    existing = [(o.text, o.is_correct, o.feedback) for o in question.options.order_by("sort_order")]
    if existing != rows:
        question.options.all().delete()
        QuestionOption.objects.bulk_create(
            [
                QuestionOption(
                    question=question,
                    sort_order=index,
                    text=text,
                    is_correct=correct,
                    feedback=feedback,
                )
                for index, (text, correct, feedback) in enumerate(rows)
            ]
        )
    return existing != rows


def file_categories(data, course, locale):
    """The file's category and the sub-categories it lists, by slug."""
    titles = {data["category"]: data["category_title"]}
    titles.update({entry["slug"]: entry["title"] for entry in data.get("categories") or []})
    categories = {}
    for slug, title in titles.items():
        category = QuestionCategory.objects.filter(slug=slug, locale=locale).first()
        categories[slug] = update_fields(
            category or QuestionCategory(slug=slug, locale=locale),
            # The course's contributors may propose questions in its categories.
            {"name": title, "course_id": course.pk},
        )
    return categories


def category_of(entry, categories, path):
    slug = entry.get("category")
    if slug is None:
        return None
    if slug not in categories:
        raise ContentError(f"{path.name}: {entry['slug']} names category {slug!r}, not listed")
    return categories[slug]


def assessment_item(item, scenarios, questions, path, locale):
    if "scenario" in item:
        return {"type": "scenario", "value": scenarios[item["scenario"]].pk}
    if "question" in item:
        return {"type": "question", "value": questions[item["question"]].pk}
    for kind in RANDOM_ITEMS:
        if kind in item:
            draw = item[kind]
            category = QuestionCategory.objects.filter(slug=draw["category"], locale=locale).first()
            if category is None or not int(draw.get("count") or 0) > 0:
                raise ContentError(f"{path.name}: {kind} needs a known category and a count")
            return {"type": kind, "value": {"category": category.pk, "count": int(draw["count"])}}
    raise ContentError(f"{path.name}: unknown assessment item {item!r}")


def assessment_fields(assessment):
    fields = {name: assessment.get(name) for name in ASSESSMENT_FIELDS}
    for name, value in DEFAULTS.get(fields["kind"], {}).items():
        if fields[name] is None:
            fields[name] = value
    fields["introduction"] = (fields["introduction"] or "").strip()
    return fields


def load_assessment_file(path, courses, locale):
    data = read_yaml(path)
    course = courses.get(data["course"])
    if course is None:
        raise ContentError(f"{path.name}: no course with slug {data['course']!r}")
    categories = file_categories(data, course, locale)
    category = categories[data["category"]]
    scenarios, questions, loaded = {}, {}, []
    for scenario_data in data.get("scenarios") or []:
        slug = bank_slug(category, scenario_data["slug"])
        own = category_of(scenario_data, categories, path) or category
        scenario = ScenarioGroup.objects.filter(slug=slug, locale=locale).first()
        scenario = scenario or ScenarioGroup(slug=slug, locale=locale)
        fields = {
            "title": scenario_data["title"],
            "category_id": own.pk,
            "stem": scenario_data["stem"].strip(),
        }
        changed = differs(scenario, fields)
        scenario = update_fields(scenario, fields)
        publish_loaded(scenario, changed)
        scenarios[scenario_data["slug"]] = scenario
        for position, question_data in enumerate(scenario_data["questions"]):
            question = load_question(
                question_data,
                category_of(question_data, categories, path) or own,
                locale,
                scenario,
                position,
                file_category=category,
            )
            loaded.append(question.pk)
    for question_data in data.get("questions") or []:
        questions[question_data["slug"]] = load_question(
            question_data,
            category_of(question_data, categories, path) or category,
            locale,
            file_category=category,
        )
    loaded += [question.pk for question in questions.values()]
    retire_unlisted(categories.values(), locale, loaded, [s.pk for s in scenarios.values()])

    for assessment in data["assessments"]:
        items = [
            assessment_item(item, scenarios, questions, path, locale)
            for item in assessment["items"]
        ]
        page = save_page(
            course,
            AssessmentPage,
            assessment["slug"],
            assessment_fields(assessment),
            stream_fields=[("items", items)],
        )
        if assessment.get("after_lesson"):
            place_after_lesson(page, course, assessment["after_lesson"], path)


def place_after_lesson(page, course, lesson_slug, path):
    """A knowledge check sits straight after the lesson it checks: learners meet a
    course's pages in tree order, and new pages are otherwise added at the end."""
    lesson = LessonPage.objects.child_of(course).filter(slug=lesson_slug).first()
    if lesson is None:
        raise ContentError(f"{path.name}: {page.slug} comes after {lesson_slug!r}, not a lesson")
    previous = page.get_prev_sibling()
    if previous is None or previous.pk != lesson.pk:
        page.move(lesson, pos="right")


def retire_unlisted(categories, locale, question_ids, scenario_ids):
    """Withdraw questions and scenarios a new edition of the file no longer lists, so they
    leave the draws; they are unpublished, not deleted, as past attempts refer to them."""
    stale = [
        *Question.objects.filter(category__in=categories, locale=locale, live=True).exclude(
            pk__in=question_ids
        ),
        *ScenarioGroup.objects.filter(category__in=categories, locale=locale, live=True).exclude(
            pk__in=scenario_ids
        ),
    ]
    for item in stale:
        item.unpublish()


@transaction.atomic
def load_demo_assessments(courses):
    folder = settings.BASE_DIR / "content" / "assessments"
    locale = Locale.get_default()
    for path in sorted(folder.glob("*.yaml")):
        load_assessment_file(path, courses, locale)


def welsh_snippet(english, locale, fields, publish=True):
    """The Welsh translation of a question-bank snippet, created or updated (and
    published, for questions and scenario groups, unless the caller does it)."""
    translated = english.get_translation_or_none(locale)
    if translated is None:
        translated = english.copy_for_translation(locale)
    changed = differs(translated, fields)
    update_fields(translated, fields)
    if publish and hasattr(translated, "live_revision_id"):
        publish_loaded(translated, changed)
    return translated


def welsh_categories(data, english_locale, locale):
    """A function giving the Welsh translation of an English category of this file, named
    as the Welsh file says."""
    names = {data["category"]: data["category_title"]}
    names.update({entry["slug"]: entry["title"] for entry in data.get("categories") or []})
    made = {}

    def welsh_category(english):
        if english.pk not in made:
            if english.slug not in names:
                raise ContentError(f"no Welsh name for the category {english.slug!r}")
            made[english.pk] = welsh_snippet(english, locale, {"name": names[english.slug]})
        return made[english.pk]

    return welsh_category


def load_welsh_assessment_pages(data, english_locale, locale):
    """The Welsh assessment pages take their title and introduction from the Welsh file
    and every rule from their English original (attempts belong to the original)."""
    # A Welsh file may give only questions; pages need the course they belong to.
    course = CoursePage.objects.filter(slug=data.get("course"), locale=english_locale).first()
    if course is None:
        return
    for assessment in data.get("assessments") or []:
        english = AssessmentPage.objects.child_of(course).filter(slug=assessment["slug"]).first()
        welsh = english and english.get_translation_or_none(locale)
        if welsh is None:
            continue
        fields = {name: getattr(english, name) for name in RULE_FIELDS}
        fields["title"] = assessment["title"]
        fields["introduction"] = assessment["introduction"].strip()
        publish(welsh.specific, fields, stream_fields=[("items", stream_prep(english, "items"))])


@transaction.atomic
def load_welsh_assessments():
    """Welsh versions of the demo questions and assessment pages from
    content/cy/assessments/*.yaml."""
    english_locale = Locale.get_default()
    locale = Locale.objects.get(language_code="cy")
    folder = settings.BASE_DIR / "content" / "cy" / "assessments"
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml(path)
        category = QuestionCategory.objects.get(slug=data["category"], locale=english_locale)
        welsh_category = welsh_categories(data, english_locale, locale)
        welsh_category(category)
        questions = list(data.get("questions") or [])
        welsh_scenario_of = {}
        for scenario_data in data.get("scenarios") or []:
            scenario = ScenarioGroup.objects.select_related("category").get(
                slug=bank_slug(category, scenario_data["slug"]), locale=english_locale
            )
            welsh_scenario = welsh_snippet(
                scenario,
                locale,
                {
                    "title": scenario_data["title"],
                    "stem": scenario_data["stem"].strip(),
                    "category_id": welsh_category(scenario.category).pk,
                },
            )
            questions.extend(scenario_data["questions"])
            for question_data in scenario_data["questions"]:
                welsh_scenario_of[question_data["slug"]] = welsh_scenario.pk
        for question_data in questions:
            english = Question.objects.select_related("category").get(
                slug=bank_slug(category, question_data["slug"]), locale=english_locale
            )
            fields = {
                "prompt": question_data["prompt"].strip(),
                "explanation": question_data["explanation"].strip(),
                "source_reference": question_data["source"].strip(),
                "category_id": welsh_category(english.category).pk,
                # A Welsh question belongs to the Welsh version of its scenario.
                "scenario_id": welsh_scenario_of.get(question_data["slug"]),
            }
            welsh = welsh_snippet(english, locale, fields, publish=False)
            rows = option_rows(question_data)
            # A translation keeps the English key: the same options, in order, equally right.
            english_key = [option.is_correct for option in english.options.order_by("sort_order")]
            if [correct for _text, correct, _feedback in rows] != english_key:
                raise ContentError(
                    f"{path.name}: Welsh question {question_data['slug']} does not have the "
                    "English options' order and correct answers"
                )
            changed = replace_options(welsh, rows)
            publish_loaded(welsh, changed)
        load_welsh_assessment_pages(data, english_locale, locale)
