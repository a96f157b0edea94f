import pytest
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import Locale

from courses.models import CoursePage
from quizzes import item_checks
from quizzes.models import AssessmentPage, Question
from recognise.demo.assessments import load_welsh_assessments
from recognise.demo.loading import ContentError
from tests.factories import UserFactory, make_category, make_question
from tests.query_budgets import queries_for
from tests.quizzes.test_admin import question_form
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

LONG_KEY = "Refer the child to children's social care today and make sure a first responder refers"
SHORT_WRONG = ("Wait for proof", False)


def test_a_correct_option_much_longer_than_the_rest_is_flagged():
    options = [(LONG_KEY, True), SHORT_WRONG, ("Ask the adult", False)]
    assert item_checks.question_flags("single", options) == [item_checks.LONGEST_CORRECT]


@pytest.mark.parametrize(
    "wrong",
    [
        # 20% longer but only 4 characters: nobody notices.
        "A" * 16,
        # 15 characters longer but only 10%: ordinary variation between long options.
        "B" * 150,
    ],
)
def test_a_small_difference_in_length_is_not_flagged(wrong):
    correct = "C" * 20 if len(wrong) == 16 else "C" * 165
    assert item_checks.correct_is_longest([(correct, True), (wrong, False)])
    assert item_checks.question_flags("single", [(correct, True), (wrong, False)]) == []


def test_length_is_only_judged_for_single_choice():
    options = [(LONG_KEY, True), SHORT_WRONG]
    assert item_checks.question_flags("multiple", options) == []
    assert item_checks.question_flags("ordering", options) == []


@pytest.mark.parametrize(
    "text",
    [
        "All of the above",
        "none of the above.",
        "Pob un o'r uchod",
        "Dim un o\u2019r uchod",
    ],
)
def test_all_or_none_of_the_above_is_flagged_in_english_and_welsh(text):
    options = [("Call 999", False), ("Tell the DSL", False), (text, True)]
    assert item_checks.ALL_OR_NONE_ABOVE in item_checks.question_flags("single", options)


def test_an_option_that_only_mentions_the_above_is_not_flagged():
    options = [
        ("Everything described above is a sign", True),
        ("Nothing above is a sign of it", False),
    ]
    assert item_checks.question_flags("single", options) == []


@pytest.mark.parametrize(
    ("keys", "lopsided"),
    [
        ([True, False, False, False, False], True),  # 20% True
        ([True, True, False, False, False], False),  # 40%
        ([True, True, True, False, False], False),  # 60%
        ([True, True, True, True, False], True),  # 80%
        ([False, False, False, False], False),  # too few to judge
    ],
)
def test_true_false_balance(keys, lopsided):
    assert item_checks.true_false_balance(keys) == (sum(keys), len(keys), lopsided)


def test_welsh_true_false_keys_are_read():
    assert item_checks.keyed_true([("Gwir", True), ("Anwir", False)])
    assert not item_checks.keyed_true([("True", False), ("False", True)])


@pytest.fixture
def publisher_client(db):
    client = Client()
    publisher = UserFactory(role="Publisher")
    sign_in_with_totp(client, publisher, enrol_totp(publisher))
    return client


WARNING = "The correct option is much longer than any other"


def test_saving_a_question_with_a_too_long_key_warns_but_saves(publisher_client):
    response = publisher_client.post(
        reverse("wagtailsnippets_quizzes_question:add"),
        question_form(
            "What should you do?",
            "single",
            [(LONG_KEY, True), SHORT_WRONG, ("Ask the adult", False)],
        ),
        follow=True,
    )
    assert response.status_code == 200
    assert Question.objects.filter(prompt="What should you do?").exists()
    assert WARNING in response.content.decode()


def test_editing_a_question_warns_until_the_options_are_balanced(publisher_client):
    question = make_question(
        "Who can refer?", options=[(LONG_KEY, True), SHORT_WRONG, ("Ask the adult", False)]
    )
    url = reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk])

    def save(options):
        data = question_form("Who can refer?", "single", options)
        data["slug"] = question.slug
        data["options-INITIAL_FORMS"] = str(len(options))
        for index, option in enumerate(question.options.order_by("sort_order")):
            data[f"options-{index}-id"] = str(option.pk)
        return publisher_client.post(url, data, follow=True).content.decode()

    assert WARNING in save([(LONG_KEY, True), SHORT_WRONG, ("Ask the adult", False)])
    balanced = [
        (LONG_KEY, True),
        ("Wait until the child discloses, then ask the police to refer them to the NRM", False),
        ("Ask the adult who came with the child whether anyone has referred them before", False),
    ]
    assert WARNING not in save(balanced)


def test_a_balanced_question_saves_without_warning(publisher_client):
    response = publisher_client.post(
        reverse("wagtailsnippets_quizzes_question:add"),
        question_form("Yes or no?", "single", [("Yes", True), ("No", False)]),
        follow=True,
    )
    page = response.content.decode()
    assert Question.objects.filter(prompt="Yes or no?").exists()
    assert WARNING not in page and "all of the above" not in page


def test_report_lists_flagged_questions_per_category(publisher_client):
    core = make_category("core")
    flagged = make_question(
        "Flagged question", options=[(LONG_KEY, True), SHORT_WRONG], category=core
    )
    make_question("Even question", options=[("Yes", True), ("No", False)], category=core)
    make_question(
        "Above question",
        options=[("Call 999", False), ("All of the above", True)],
        category=core,
    )
    for _ in range(5):
        make_question(
            "Statement?",
            kind="true_false",
            options=[("True", False), ("False", True)],
            category=core,
        )
    page = publisher_client.get(reverse("quizzes_item_report")).content.decode()
    edit = reverse("wagtailsnippets_quizzes_question:edit", args=[flagged.pk])
    assert f'href="{edit}">Flagged question</a>' in page
    assert "Above question" in page
    assert "Even question" not in page
    assert "1 of 3" in page  # of the 3 single-choice questions, only the first
    assert "0 of 5" in page and "mostly one way" in page


def test_an_editor_sees_only_their_courses_questions_in_the_report(client, contributor):
    make_question(
        "Their own long key", options=[(LONG_KEY, True), SHORT_WRONG], category=contributor.category
    )
    make_question(
        "Someone else's long key",
        options=[(LONG_KEY, True), SHORT_WRONG],
        category=make_category("police"),
    )
    sign_in_with_totp(client, contributor.editor, contributor.secret)
    page = client.get(reverse("quizzes_item_report")).content.decode()
    assert "Their own long key" in page
    assert "Someone else" not in page


def test_a_learner_cannot_see_the_report(client, learner):
    sign_in(client, learner.email)
    assert client.get(reverse("quizzes_item_report")).status_code == 403


@pytest.mark.django_db
def test_demo_core_bank_gives_no_length_or_true_false_cue_and_is_all_in_welsh(demo_data):
    # The whole demo, as the Welsh tests load it: the Welsh questions come with it.
    # The core course's bank: the final assessment's pools and the practice questions.
    english = (
        Question.objects.filter(
            category__slug__in=["core", "core-practice"], locale__language_code="en"
        )
        .prefetch_related("options")
        .select_related("category")
    )
    single = [q for q in english if q.kind == "single"]
    longest = [
        q.slug
        for q in single
        if item_checks.correct_is_longest([(o.text, o.is_correct) for o in q.options.all()])
    ]
    assert len(longest) <= 0.4 * len(single), longest
    true_false = [
        item_checks.keyed_true([(o.text, o.is_correct) for o in q.options.all()])
        for q in english
        if q.kind == "true_false"
    ]
    assert 0.4 <= sum(true_false) / len(true_false) <= 0.6
    welsh_keys = set(
        Question.objects.filter(locale__language_code="cy").values_list(
            "translation_key", flat=True
        )
    )
    assert [q.slug for q in english if q.translation_key not in welsh_keys] == []
    # Big enough for pools: each of the final's draws has at least twice what it draws.
    final = AssessmentPage.objects.get(
        slug="final-assessment",
        locale__language_code="en",
        path__startswith=CoursePage.objects.get(
            slug="recognising-and-responding", locale__language_code="en"
        ).path,
    )
    pool = [q for q in english if q.category.slug == "core"]
    sizes = {
        "random_scenarios": len({q.scenario_id for q in pool if q.scenario_id}),
        "random_questions": len([q for q in pool if not q.scenario_id]),
    }
    draws = [(b.block_type, b.value["count"]) for b in final.items if b.block_type in sizes]
    assert {kind for kind, _count in draws} == set(sizes)
    for kind, count in draws:
        assert sizes[kind] >= 2 * count, (kind, sizes[kind], count)
    # No English question uses a flagged cue by a clear margin either.
    assert [
        q.slug
        for q in english
        if item_checks.question_flags(q.kind, [(o.text, o.is_correct) for o in q.options.all()])
    ] == []


WELSH_FILE = """
category: core
category_title: Cwrs craidd
questions:
  - slug: consent
    kind: single
    prompt: Oes angen i blentyn gydsynio?
    explanation: Nid yw cydsyniad yn berthnasol i blentyn.
    source: Modern Slavery Act 2015, UK Parliament, 2015
    options:
      - {text: "Oes", correct: %s}
      - {text: "Nac oes", correct: %s}
      - {text: "Dim ond dros 16", correct: false}
"""


@pytest.mark.parametrize(
    ("first", "second", "loads"), [("false", "true", True), ("true", "false", False)]
)
def test_a_welsh_question_must_keep_the_english_answer_key(db, tmp_path, first, second, loads):
    Locale.objects.get_or_create(language_code="cy")
    english = make_question(category=make_category("core"))  # Yes, No (right), Only if over 16
    english.slug = "core-consent"
    english.save()
    folder = tmp_path / "content" / "cy" / "assessments"
    folder.mkdir(parents=True)
    (folder / "core.yaml").write_text(WELSH_FILE % (first, second), encoding="utf-8")
    with override_settings(BASE_DIR=tmp_path):
        if loads:
            load_welsh_assessments()
            welsh = english.get_translation(Locale.objects.get(language_code="cy"))
            assert welsh.options.get(is_correct=True).text == "Nac oes"
        else:
            with pytest.raises(ContentError, match="consent"):
                load_welsh_assessments()
            assert not Question.objects.filter(locale__language_code="cy").exists()


def test_the_report_makes_the_same_queries_for_a_small_and_a_larger_bank(publisher_client):
    url = reverse("quizzes_item_report")

    def add_bank(slug, size):
        category = make_category(slug)
        for number in range(size):
            make_question(
                f"{slug} question {number}",
                options=[(LONG_KEY, True), SHORT_WRONG],
                category=category,
            )

    add_bank("small", 2)
    few = queries_for(publisher_client, url)
    for number in range(4):
        add_bank(f"more-{number}", 10)
    assert queries_for(publisher_client, url) == few
