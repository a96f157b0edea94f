"""Load the demo question bank and assessments from content/assessments/*.yaml.

Questions, scenarios and categories are matched by slug, assessments by slug under
their course; nothing is rewritten or republished unless the file changed.
"""

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale

from quizzes import scoring
from quizzes.models import AssessmentPage, Question, QuestionCategory, QuestionOption, ScenarioGroup
from quizzes.models.pages import AssessmentLayout

from .loading import ContentError, read_yaml, save_page

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
    "review_answers",
    "review_correct",
    "review_feedback",
]


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


def load_question(data, category, locale, scenario=None, position=0):
    kind = data["kind"]
    slug = bank_slug(category, data["slug"])
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


def load_assessment_file(path, courses, locale):
    data = read_yaml(path)
    course = courses.get(data["course"])
    if course is None:
        raise ContentError(f"{path.name}: no course with slug {data['course']!r}")
    category = QuestionCategory.objects.filter(slug=data["category"], locale=locale).first()
    category = update_fields(
        category or QuestionCategory(slug=data["category"], locale=locale),
        # The course's contributors may propose questions in its category.
        {"name": data["category_title"], "course_id": course.pk},
    )
    scenarios, questions = {}, {}
    for scenario_data in data.get("scenarios") or []:
        slug = bank_slug(category, scenario_data["slug"])
        scenario = ScenarioGroup.objects.filter(slug=slug, locale=locale).first()
        scenario = scenario or ScenarioGroup(slug=slug, locale=locale)
        fields = {
            "title": scenario_data["title"],
            "category_id": category.pk,
            "stem": scenario_data["stem"].strip(),
        }
        changed = differs(scenario, fields)
        publish_loaded(update_fields(scenario, fields), changed)
        scenarios[scenario_data["slug"]] = scenario
        for position, question_data in enumerate(scenario_data["questions"]):
            load_question(question_data, category, locale, scenario, position)
    for question_data in data.get("questions") or []:
        questions[question_data["slug"]] = load_question(question_data, category, locale)

    for assessment in data["assessments"]:
        items = []
        for item in assessment["items"]:
            if "scenario" in item:
                items.append({"type": "scenario", "value": scenarios[item["scenario"]].pk})
            elif "question" in item:
                items.append({"type": "question", "value": questions[item["question"]].pk})
            else:
                raise ContentError(f"{path.name}: unknown assessment item {item!r}")
        fields = {name: assessment.get(name) for name in ASSESSMENT_FIELDS}
        fields["introduction"] = (fields["introduction"] or "").strip()
        fields["layout"] = fields["layout"] or AssessmentLayout.PAGED
        save_page(
            course,
            AssessmentPage,
            assessment["slug"],
            fields,
            stream_fields=[("items", items)],
        )


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


@transaction.atomic
def load_welsh_assessments():
    """Welsh versions of the demo questions from content/cy/assessments/*.yaml."""
    english_locale = Locale.get_default()
    locale = Locale.objects.get(language_code="cy")
    folder = settings.BASE_DIR / "content" / "cy" / "assessments"
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml(path)
        category = QuestionCategory.objects.get(slug=data["category"], locale=english_locale)
        welsh_category = welsh_snippet(category, locale, {"name": data["category_title"]})
        questions = list(data.get("questions") or [])
        welsh_scenario_of = {}
        for scenario_data in data.get("scenarios") or []:
            scenario = ScenarioGroup.objects.get(
                slug=bank_slug(category, scenario_data["slug"]), locale=english_locale
            )
            welsh_scenario = welsh_snippet(
                scenario,
                locale,
                {
                    "title": scenario_data["title"],
                    "stem": scenario_data["stem"].strip(),
                    "category_id": welsh_category.pk,
                },
            )
            questions.extend(scenario_data["questions"])
            for question_data in scenario_data["questions"]:
                welsh_scenario_of[question_data["slug"]] = welsh_scenario.pk
        for question_data in questions:
            english = Question.objects.get(
                slug=bank_slug(category, question_data["slug"]), locale=english_locale
            )
            fields = {
                "prompt": question_data["prompt"].strip(),
                "explanation": question_data["explanation"].strip(),
                "source_reference": question_data["source"].strip(),
                "category_id": welsh_category.pk,
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
