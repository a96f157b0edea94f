"""Question pools give re-attempts different questions, editors see how varied the papers
are, and the feedback policy decides when keys are shown."""

import importlib
import random
from datetime import timedelta
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from courses.models import CoursePage, Enrolment
from learning.attempts import start_attempt, submit_attempt
from quizzes import pools
from quizzes.models import AssessmentPage, Attempt, Question
from tests.factories import (
    UserFactory,
    make_assessment,
    make_category,
    make_course,
    make_question,
    make_scenario,
)
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

pytestmark = pytest.mark.django_db


# The arithmetic -------------------------------------------------------------------


def test_distinct_papers_is_a_product_of_binomials():
    draws = [pools.Draw(pool=4, count=2), pools.Draw(pool=6, count=3)]
    assert pools.distinct_papers(draws) == 6 * 20
    assert pools.distinct_papers([]) == 1
    # Drawing more than the pool has gives the whole pool: one selection.
    assert pools.distinct_papers([pools.Draw(pool=3, count=5)]) == 1
    assert pools.distinct_papers([pools.Draw(pool=40, count=10)]) > pools.MANY_PAPERS


def test_a_pool_twice_the_draw_repeats_nothing():
    assert pools.Draw(pool=4, count=2).repeated == 0
    assert pools.Draw(pool=3, count=2).repeated == 1
    assert pools.Draw(pool=2, count=2).repeated == 2
    assert pools.repeat_share([pools.Draw(pool=8, count=4)]) == 0


def test_repeat_share_counts_fixed_questions_and_scenario_sizes():
    scenarios = pools.Draw(pool=3, count=2, questions_per_item=Fraction(4))
    questions = pools.Draw(pool=2, count=1)
    # One scenario of 4 questions repeats; with 2 fixed questions: (2 + 4) / (2 + 8 + 1).
    share = pools.repeat_share([scenarios, questions], fixed_questions=2)
    assert share == Fraction(6, 11)
    assert pools.mostly_repeated(share)
    assert not pools.mostly_repeated(Fraction(1, 2))
    assert pools.repeat_share([], fixed_questions=5) == 1
    assert pools.repeat_share([]) == 0


def test_least_recently_seen_takes_unseen_first_then_the_oldest():
    last_seen = {"a": 2, "b": 1, "c": 2}
    for seed in range(20):
        picked = pools.least_recently_seen(
            ["a", "b", "c", "d", "e"], 3, last_seen, random.Random(seed)
        )
        assert set(picked) == {"d", "e", "b"}
    # Random among equals: different seeds give different picks from the unseen.
    picks = {
        tuple(sorted(pools.least_recently_seen(list("abcdef"), 2, {}, random.Random(seed))))
        for seed in range(30)
    }
    assert len(picks) > 3


# Draws ------------------------------------------------------------------------------


@pytest.fixture
def course():
    return make_course("Core course", lessons=1)


@pytest.fixture
def pool_category():
    return make_category("pool")


@pytest.fixture
def scenarios(pool_category):
    made = []
    for number in range(4):
        scenario = make_scenario(f"Scenario {number}", category=pool_category)
        for position in range(2):
            make_question(
                f"Scenario {number} question {position}",
                category=pool_category,
                scenario=scenario,
                position=position,
            )
        made.append(scenario)
    return made


@pytest.fixture
def standalone(pool_category):
    return [make_question(f"Standalone {number}", category=pool_category) for number in range(4)]


@pytest.fixture
def pooled(course, pool_category, scenarios, standalone):
    assessment = make_assessment(course, random=[(pool_category, 2)])
    assessment.items = [
        {"type": "random_scenarios", "value": {"category": pool_category.pk, "count": 2}},
        {"type": "random_questions", "value": {"category": pool_category.pk, "count": 2}},
    ]
    assessment.save()
    return assessment


def take(learner, assessment, seed):
    attempt = start_attempt(learner, assessment, rng=random.Random(seed))
    submit_attempt(attempt.pk, learner, answers={})
    return attempt


def asked(attempt):
    return {item["question"] for item in attempt.paper}


def test_draws_prefer_what_the_learner_has_not_seen(learner, course, pooled, scenarios):
    Enrolment.objects.create(user=learner, course=course)
    first = take(learner, pooled, seed=1)
    second = take(learner, pooled, seed=1)
    third = take(learner, pooled, seed=2)
    assert len(first.paper) == len(second.paper) == 2 * 2 + 2
    # The pool is twice the paper: the second attempt has none of the first's questions,
    # and the third goes back to those seen longest ago.
    assert not asked(first) & asked(second)
    assert asked(third) == asked(first)
    # Each scenario drawn comes with all its questions, in order, after its stem.
    drawn = [item["scenario"] for item in first.paper if item["scenario"]]
    assert len(set(drawn)) == 2 and all(drawn.count(pk) == 2 for pk in set(drawn))


def test_draws_keep_to_live_questions_in_the_scenarios_language(
    learner, course, pool_category, pooled, scenarios, standalone
):
    Enrolment.objects.create(user=learner, course=course)
    welsh = Locale.objects.get_or_create(language_code="cy")[0]
    for scenario in scenarios:
        for question in scenario.questions.all():
            question.copy_for_translation(welsh).save()
    draft = standalone[0]
    draft.live = False
    draft.save()
    for seed in range(6):
        attempt = take(learner, pooled, seed)
        questions = asked(attempt)
        assert draft.pk not in questions
        assert set(
            Question.objects.filter(pk__in=questions).values_list(
                "locale__language_code", flat=True
            )
        ) == {"en"}


def test_a_scenario_group_never_published_is_never_drawn(learner, course, pooled, scenarios):
    Enrolment.objects.create(user=learner, course=course)
    unpublished = scenarios[:2]
    for scenario in unpublished:
        scenario.live = False
        scenario.save()
    # Two scenario groups are drawn each time: always the two that are live, whole.
    for seed in range(4):
        attempt = take(learner, pooled, seed)
        drawn = {item["scenario"] for item in attempt.paper if item["scenario"]}
        assert drawn == {scenario.pk for scenario in scenarios[2:]}
        assert len(attempt.paper) == 2 * 2 + 2


def test_two_consecutive_attempts_at_the_demo_core_final_share_at_most_half(learner, demo_content):
    core = CoursePage.objects.get(slug="recognising-and-responding", locale__language_code="en")
    final = AssessmentPage.objects.child_of(core).get(kind="final")
    assert final.cooldown_minutes >= 60 and final.feedback == "once_passed"
    # Drawn from pools, with one fixed question (the first actions, in order) on every paper.
    assert [block.block_type for block in final.items] == [
        "random_scenarios",
        "random_questions",
        "question",
    ]
    Enrolment.objects.create(user=learner, course=core)
    # A knowledge check follows each lesson; their questions, whose keys practice shows,
    # are all kept out of the final.
    checks = AssessmentPage.objects.child_of(core).filter(kind="knowledge_check")
    assert checks.count() == len(core.lessons())
    practice_questions = {block.value.pk for check in checks for block in check.items}
    previous = None
    for number in range(4):
        attempt = start_attempt(
            learner, final, now=timezone.now() + timedelta(days=number), rng=random.Random(number)
        )
        submit_attempt(attempt.pk, learner, answers={}, now=timezone.now() + timedelta(days=number))
        questions = asked(attempt)
        assert len(questions) >= 12
        # The knowledge check's questions, whose keys practice shows, stay out of the final.
        assert not questions & practice_questions
        if previous is not None:
            assert len(questions & previous) <= len(questions) / 2
        previous = questions


# Feedback -------------------------------------------------------------------------


@pytest.fixture
def questions():
    return [
        make_question(
            "Who can consent for a child?",
            options=[("Nobody", True), ("The carer", False), ("The child", False)],
        ),
        make_question(
            "Must a child cross a border to be trafficked?",
            "true_false",
            [("True", False), ("False", True)],
        ),
    ]


@pytest.fixture
def signed_in(client, learner, course):
    sign_in(client, learner.email)
    Enrolment.objects.create(user=learner, course=course)
    return client


def start(client, assessment):
    client.post(reverse("learning:start", args=[assessment.pk]))
    return Attempt.objects.filter(assessment=assessment).order_by("-number").first()


def pick(question, text):
    return str(question.options.get(text=text).pk)


def answer(client, attempt, data, action="save"):
    url = reverse("learning:attempt", args=[attempt.pk])
    return client.post(url, {**data, action: "1"})


def result_page(client, attempt):
    return client.get(reverse("learning:result", args=[attempt.pk])).content.decode()


def test_practice_shows_the_key_and_explanation_of_each_saved_answer(signed_in, course, questions):
    consent, border = questions
    practice = make_assessment(
        course, questions, kind="knowledge_check", feedback="after_each_answer", pass_mark=50
    )
    attempt = start(signed_in, practice)
    url = reverse("learning:attempt", args=[attempt.pk])
    before = signed_in.get(url).content.decode()
    assert "Correct answer" not in before and consent.explanation not in before

    answer(signed_in, attempt, {f"q{consent.pk}": pick(consent, "The carer")})
    page = signed_in.get(url).content.decode()
    assert "Correct answer: Nobody" in page
    assert "Feedback on The carer" in page
    assert consent.explanation in page
    assert "can no longer be changed" in page
    # Only the answered question is revealed.
    assert "Correct answer: False" not in page and "Feedback on" not in page.split(border.prompt)[1]

    # Once shown, the answer stays as saved, however the form is sent again.
    answer(
        signed_in,
        attempt,
        {f"q{consent.pk}": pick(consent, "Nobody"), f"q{border.pk}": pick(border, "False")},
        action="submit",
    )
    attempt.refresh_from_db()
    assert attempt.answers[str(consent.pk)] == [int(pick(consent, "The carer"))]
    assert attempt.percent == 50


def test_a_failed_final_names_topics_to_revisit_but_gives_no_keys(signed_in, course, questions):
    consent, border = questions
    other = make_category("signs")
    spotted = make_question("Which is a sign?", category=other, options=[("A", True), ("B", False)])
    final = make_assessment(course, [*questions, spotted], max_attempts=3)
    assert final.feedback == "once_passed"
    attempt = start(signed_in, final)
    answer(
        signed_in,
        attempt,
        {
            f"q{consent.pk}": pick(consent, "The carer"),
            f"q{border.pk}": pick(border, "True"),
            f"q{spotted.pk}": pick(spotted, "A"),
        },
        action="submit",
    )
    page = result_page(signed_in, attempt)
    assert "You scored 33%" in page
    assert "Topics to revisit" in page
    assert "Core: 2 questions not fully right" in page
    assert "Signs:" not in page  # answered right: nothing to revisit there
    assert "once you pass this assessment, or when you have no attempts left" in page
    for text in ("Correct answer", "Your answer", "Why:", "Belongs in place", "tag--done"):
        assert text not in page
    for question in (consent, border, spotted):
        assert question.prompt not in page
        assert question.explanation not in page
        for option in question.options.all():
            assert option.feedback not in page


def test_the_keys_are_shown_after_the_last_attempt(signed_in, course, questions):
    consent, border = questions
    final = make_assessment(course, questions, max_attempts=2)
    wrong = {f"q{consent.pk}": pick(consent, "The carer"), f"q{border.pk}": pick(border, "True")}
    first = start(signed_in, final)
    answer(signed_in, first, wrong, action="submit")
    assert "Correct answer" not in result_page(signed_in, first)

    second = start(signed_in, final)
    assert second.number == 2
    answer(signed_in, second, wrong, action="submit")
    for attempt in (first, second):
        page = result_page(signed_in, attempt)
        assert "Correct answer" in page
        assert consent.explanation in page
        assert "Feedback on The carer" in page


# The editor ---------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    sign_in_with_totp(client, admin, enrol_totp(admin))
    return client


def edit_page(admin_client, assessment):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_editor_is_warned_when_a_pool_is_too_small(admin_client, course, pool_category):
    for number in range(3):
        make_question(f"Standalone {number}", category=pool_category)
    small = make_assessment(course, random=[(pool_category, 2)])
    page = edit_page(admin_client, small)
    assert "2 questions from “Pool”: a pool of 3." in page
    assert "Different papers possible: 3." in page
    assert "sees about 50% of the same questions again" in page
    assert "A re-attempt draws 50% of these again." in page
    assert "would be mostly the same questions" not in page

    fixed = make_question("Always asked", category=make_category("fixed"))
    small.items = [
        {"type": "question", "value": fixed.pk},
        {"type": "random_questions", "value": {"category": pool_category.pk, "count": 2}},
    ]
    small.save_revision()
    page = edit_page(admin_client, small)
    assert "would be mostly the same questions" in page
    assert "sees about 67% of the same questions again" in page


def test_the_editor_sees_scenario_pools_and_many_papers(admin_client, course, scenarios):
    category = scenarios[0].category
    for number in range(40):
        make_question(f"Standalone {number}", category=category)
    assessment = make_assessment(course)
    assessment.items = [
        {"type": "random_scenarios", "value": {"category": category.pk, "count": 2}},
        {"type": "random_questions", "value": {"category": category.pk, "count": 10}},
    ]
    assessment.save_revision()
    page = edit_page(admin_client, assessment)
    assert "2 scenario groups from “Pool”: a pool of 4 (about 2 questions each)." in page
    assert "Different papers possible: more than a million." in page
    assert "would be mostly the same questions" not in page


def test_welsh_assessment_pages_say_the_policy_in_welsh(client, demo_data):
    welsh = Locale.objects.get(language_code="cy")
    core = CoursePage.objects.get(slug="recognising-and-responding", locale__language_code="en")
    for english in AssessmentPage.objects.child_of(core):
        translated = english.get_translation(welsh)
        assert translated.feedback == english.feedback
        assert translated.cooldown_minutes == english.cooldown_minutes
        assert translated.introduction != english.introduction
        page = client.get(translated.url).content.decode()
        assert "Asesiad terfynol" in page or "Gwiriad gwybodaeth" in page
    final = AssessmentPage.objects.child_of(core).get(kind="final").get_translation(welsh)
    assert "gasgliad mwy" in final.introduction and "ar ôl awr" in final.introduction
    practice = Question.objects.filter(
        locale=welsh, category__name="Cwrs craidd: gwiriadau gwybodaeth (ymarfer)"
    )
    assert practice.count() == 19


def test_the_migration_maps_the_old_review_settings_onto_one_policy():
    migration = importlib.import_module("quizzes.migrations.0007_pools_and_feedback")
    assert migration.policy_for("knowledge_check", "after_each") == "after_each_answer"
    assert migration.policy_for("final", "after_each") == "after_submission"
    assert migration.policy_for("final", "once_passed") == "once_passed"
    assert migration.policy_for("knowledge_check", "never") == "once_passed"
