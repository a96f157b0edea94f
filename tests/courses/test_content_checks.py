"""Checks a subject reviewer would otherwise make by hand, run over every demo content
file in content/ (new courses included, as the files are listed, not named).

Each check collects every failure with the file, lesson or question it is in, so one
run shows everything that needs fixing.
"""

import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings

from quizzes import item_checks, scoring

CONTENT = settings.BASE_DIR / "content"
WELSH = CONTENT / "cy"
COURSE_FILES = sorted((CONTENT / "courses").glob("*.yaml"))
ASSESSMENT_FILES = sorted((CONTENT / "assessments").glob("*.yaml"))
GUIDANCE_FILES = sorted((CONTENT / "guidance").glob("*.yaml"))
SECTORS_FILE = CONTENT / "sectors.yaml"

# Sites that re-host official documents with advertising: never a source's address.
MIRROR_DOMAINS = ("docslib", "abcdocz", "vdocuments", "govdiff", "paperzz", "readkong")

# A statistic: a percentage, or a count of children, referrals or people (in Welsh too).
STATISTIC = re.compile(
    r"\d[\d,.]*\s?%|\b\d[\d,]*\s+(?:children|referrals|people|o blant|o atgyfeiriadau|o bobl)\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# Sentences end at . ! or ? followed by space; decimals ("6.5") stay in one sentence.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
TAG = re.compile(r"<[^>]+>")


def read(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def name(path):
    return str(path.relative_to(CONTENT))


def welsh_copy(path):
    return WELSH / path.relative_to(CONTENT)


def ids(paths):
    return [name(path) for path in paths]


def strings(value):
    """Every string in a block's value, however deeply nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def undated_statistics(text):
    """Sentences of a text that quote a statistic with no year beside it."""
    plain = " ".join(TAG.sub(" ", text).split())
    return [
        sentence
        for sentence in SENTENCE_END.split(plain)
        if STATISTIC.search(sentence) and not YEAR.search(sentence)
    ]


def url_problem(url):
    if url.endswith("."):
        return "ends in a full stop or '...'"
    host = urlsplit(url).hostname or ""
    if host.endswith("."):
        return "has a trailing dot in its domain"
    if any(mirror in host for mirror in MIRROR_DOMAINS):
        return "points at a mirror site"
    return None


def source_problems(where, sources):
    problems = []
    for source in sources or []:
        url = (source.get("url") or "").strip()
        problem = url and url_problem(url)
        if problem:
            problems.append(f"{where}: source {source.get('title')!r} {problem}: {url}")
    return problems


def all_questions(data):
    """(scenario slug or None, question) for every question of an assessment file."""
    for scenario in data.get("scenarios") or []:
        for question in scenario.get("questions") or []:
            yield scenario["slug"], question
    for question in data.get("questions") or []:
        yield None, question


def options_of(question):
    return [(option["text"], bool(option.get("correct"))) for option in question["options"]]


def course_of(assessment_path):
    course = CONTENT / "courses" / assessment_path.name
    return read(course) if course.exists() else None


# Lessons ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", COURSE_FILES, ids=ids(COURSE_FILES))
def test_every_lesson_has_safe_sources(path):
    problems = []
    for lesson in read(path)["lessons"]:
        where = f"{name(path)} lesson {lesson['slug']}"
        if not lesson.get("sources"):
            problems.append(f"{where}: no sources")
        problems += source_problems(where, lesson.get("sources"))
    assert problems == []


@pytest.mark.parametrize("path", COURSE_FILES, ids=ids(COURSE_FILES))
def test_case_studies_are_fictional_debriefed_and_behind_a_content_note(path):
    problems = []
    for lesson in read(path)["lessons"]:
        where = f"{name(path)} lesson {lesson['slug']}"
        kinds = [block["type"] for block in lesson["body"]]
        for position, block in enumerate(lesson["body"]):
            if block["type"] != "case_study":
                continue
            study = block["value"]
            title = study.get("title")
            if study.get("fictional") is not True:
                problems.append(f"{where}: case study {title!r} is not marked fictional")
            if not (study.get("debrief") or "").strip():
                problems.append(f"{where}: case study {title!r} has no debrief")
            if "content_note" not in kinds[:position]:
                problems.append(f"{where}: no content_note block before case study {title!r}")
    assert problems == []


def statistic_problems(where, texts):
    return [
        f"{where}: statistic without a year: {sentence!r}"
        for text in texts
        for sentence in undated_statistics(text)
    ]


@pytest.mark.parametrize("path", COURSE_FILES, ids=ids(COURSE_FILES))
def test_every_statistic_in_a_course_has_its_year(path):
    problems = []
    for lesson in read(path)["lessons"]:
        texts = [text for block in lesson["body"] for text in strings(block["value"])]
        problems += statistic_problems(f"{name(path)} lesson {lesson['slug']}", texts)
    assert problems == []


@pytest.mark.parametrize("path", ASSESSMENT_FILES, ids=ids(ASSESSMENT_FILES))
def test_every_statistic_in_a_question_has_its_year(path):
    data = read(path)
    problems = []
    for scenario in data.get("scenarios") or []:
        problems += statistic_problems(
            f"{name(path)} scenario {scenario['slug']}", [scenario.get("stem") or ""]
        )
    for _scenario, question in all_questions(data):
        texts = [question["prompt"], question.get("explanation") or ""]
        texts += [text for option in question["options"] for text in strings(option)]
        problems += statistic_problems(f"{name(path)} question {question['slug']}", texts)
    assert problems == []


def test_guidance_and_sector_pages_date_their_statistics_and_link_safely():
    problems = []
    for path in GUIDANCE_FILES:
        for page in read(path)["pages"]:
            where = f"{name(path)} page {page['slug']}"
            if not page.get("sources"):
                problems.append(f"{where}: no sources")
            problems += source_problems(where, page.get("sources"))
            texts = [text for block in page["body"] for text in strings(block["value"])]
            problems += statistic_problems(where, texts)
    for entry in read(SECTORS_FILE):
        problems += statistic_problems(
            f"sectors.yaml {entry['sector']}", [entry["introduction"], entry["responsibilities"]]
        )
    assert problems == []


# Questions -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ASSESSMENT_FILES, ids=ids(ASSESSMENT_FILES))
def test_questions_test_the_course_outcomes_and_every_outcome_is_tested(path):
    data = read(path)
    course = course_of(path)
    assert course is not None, f"{name(path)}: no course file for {data['course']!r}"
    outcomes = range(1, len(course["learning_outcomes"]) + 1)
    problems, tested = [], set()
    for _scenario, question in all_questions(data):
        outcome = question.get("outcome")
        if outcome not in outcomes:
            problems.append(
                f"{name(path)} question {question['slug']}: outcome {outcome!r} is not one of "
                f"the course's {len(outcomes)} outcomes"
            )
        tested.add(outcome)
    problems += [
        f"{name(path)}: course outcome {number} is tested by no question"
        for number in outcomes
        if number not in tested
    ]
    assert problems == []


@pytest.mark.parametrize("path", ASSESSMENT_FILES, ids=ids(ASSESSMENT_FILES))
def test_question_pools_pass_the_item_checks(path):
    data = read(path)
    problems = []
    by_category = defaultdict(list)
    for scenario_slug, question in all_questions(data):
        where = f"{name(path)} question {question['slug']}"
        rule = question.get("scoring", scoring.ALL_OR_NOTHING)
        for problem in scoring.question_problems(question["kind"], options_of(question), rule):
            problems.append(f"{where}: {problem}")
        for flag in item_checks.question_flags(question["kind"], options_of(question)):
            problems.append(f"{where}: item check {flag}")
        scenario = next((s for s in data.get("scenarios") or [] if s["slug"] == scenario_slug), {})
        category = question.get("category") or scenario.get("category") or data["category"]
        by_category[category].append((scenario_slug, question))

    for category, entries in by_category.items():
        single = [q for _s, q in entries if q["kind"] == "single"]
        longest = [q["slug"] for q in single if item_checks.correct_is_longest(options_of(q))]
        if single and len(longest) > 0.4 * len(single):
            problems.append(
                f"{name(path)} category {category}: the key is the longest option in "
                f"{len(longest)} of {len(single)} single-choice questions: {longest}"
            )
        keys = [
            item_checks.keyed_true(options_of(q)) for _s, q in entries if q["kind"] == "true_false"
        ]
        true_count, total, lopsided = item_checks.true_false_balance(keys)
        if lopsided:
            problems.append(
                f"{name(path)} category {category}: {true_count} of {total} true/false keys "
                "are True (want 40-60%)"
            )

    # A drawn paper comes from a pool at least twice what it draws.
    for assessment in data["assessments"]:
        for item in assessment["items"]:
            for kind in ("random_scenarios", "random_questions"):
                if kind not in item:
                    continue
                draw = item[kind]
                entries = by_category.get(draw["category"], [])
                if kind == "random_scenarios":
                    pool = len({s for s, _q in entries if s})
                else:
                    pool = len([q for s, q in entries if not s])
                if pool < 2 * int(draw["count"]):
                    problems.append(
                        f"{name(path)} assessment {assessment['slug']}: {kind} draws "
                        f"{draw['count']} from {draw['category']!r}, a pool of only {pool}"
                    )
    assert problems == []


# Welsh copies ----------------------------------------------------------------------

WELSH_COURSES = [path for path in COURSE_FILES if welsh_copy(path).exists()]
WELSH_ASSESSMENTS = [path for path in ASSESSMENT_FILES if welsh_copy(path).exists()]


def course_shape(data):
    return {
        "slug": data["slug"],
        "outcomes": len(data["learning_outcomes"]),
        "lessons": [
            (
                lesson["slug"],
                [block["type"] for block in lesson["body"]],
                len(lesson.get("sources") or []),
            )
            for lesson in data["lessons"]
        ],
    }


def question_shape(question):
    return (
        question["slug"],
        question["kind"],
        question.get("outcome"),
        [bool(option.get("correct")) for option in question["options"]],
    )


def assessment_shape(data):
    return {
        "course": data["course"],
        "category": data["category"],
        "categories": [entry["slug"] for entry in data.get("categories") or []],
        "assessments": [entry["slug"] for entry in data.get("assessments") or []],
        "scenarios": [
            (scenario["slug"], [question_shape(q) for q in scenario["questions"]])
            for scenario in data.get("scenarios") or []
        ],
        "questions": [question_shape(q) for q in data.get("questions") or []],
    }


def differences(english, welsh, where):
    return [
        f"{where}: {key} differs in Welsh: {english[key]!r} != {welsh.get(key)!r}"
        for key in english
        if english[key] != welsh.get(key)
    ]


@pytest.mark.parametrize("path", WELSH_COURSES, ids=ids(WELSH_COURSES))
def test_welsh_course_matches_its_english_structure(path):
    english, welsh = course_shape(read(path)), course_shape(read(welsh_copy(path)))
    problems = differences(english, welsh, name(welsh_copy(path)))
    for ours, theirs in zip(english["lessons"], welsh["lessons"], strict=False):
        if ours != theirs:
            problems.append(f"{name(welsh_copy(path))} lesson {ours[0]}: {ours} != {theirs}")
    assert problems == []


@pytest.mark.parametrize("path", WELSH_ASSESSMENTS, ids=ids(WELSH_ASSESSMENTS))
def test_welsh_questions_match_their_english_structure(path):
    english, welsh = assessment_shape(read(path)), assessment_shape(read(welsh_copy(path)))
    assert differences(english, welsh, name(welsh_copy(path))) == []


def test_welsh_sectors_match_the_english_sectors():
    english = [entry["sector"] for entry in read(SECTORS_FILE)]
    welsh = [entry["sector"] for entry in read(WELSH / "sectors.yaml")]
    assert welsh == english
