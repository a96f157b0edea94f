from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from quizzes.scoring import (
    ALL_OR_NOTHING,
    MULTIPLE,
    ORDERING,
    PARTIAL,
    SINGLE,
    TRUE_FALSE,
    QuestionKey,
    question_problems,
    score_attempt,
    score_question,
)


@st.composite
def keys_and_answers(draw):
    """A random question key and an answer drawn from its options (or unknown ids)."""
    kind = draw(st.sampled_from([SINGLE, MULTIPLE, TRUE_FALSE, ORDERING]))
    count = draw(st.integers(min_value=3 if kind == ORDERING else 2, max_value=7))
    if kind == TRUE_FALSE:
        count = 2
    option_ids = tuple(range(1, count + 1))
    if kind in (SINGLE, TRUE_FALSE):
        correct = frozenset([draw(st.sampled_from(option_ids))])
    elif kind == MULTIPLE:
        correct = frozenset(draw(st.sets(st.sampled_from(option_ids), min_size=1)))
    else:
        correct = frozenset()
    rule = draw(st.sampled_from([ALL_OR_NOTHING, PARTIAL]))
    key = QuestionKey(kind=kind, option_ids=option_ids, correct_ids=correct, rule=rule)
    if kind == ORDERING:
        answer = draw(st.permutations(option_ids))
    else:
        answer = draw(st.lists(st.integers(min_value=0, max_value=count + 2), max_size=count + 2))
    return key, list(answer)


@given(keys_and_answers())
def test_a_question_scores_between_zero_and_one(case):
    key, answer = case
    assert Fraction(0) <= score_question(key, answer) <= Fraction(1)


@given(keys_and_answers(), st.randoms())
def test_the_order_options_were_shown_or_picked_in_never_changes_a_score(case, rng):
    key, answer = case
    if key.kind == ORDERING:
        return  # for ordering, the order is the answer
    shuffled_key = QuestionKey(
        kind=key.kind,
        option_ids=tuple(rng.sample(key.option_ids, len(key.option_ids))),
        correct_ids=key.correct_ids,
        rule=key.rule,
    )
    shuffled_answer = rng.sample(answer, len(answer))
    assert score_question(shuffled_key, shuffled_answer) == score_question(key, answer)


@given(st.lists(keys_and_answers(), min_size=1, max_size=12))
def test_an_attempt_scores_between_zero_and_the_maximum(cases):
    keys = {index: key for index, (key, _answer) in enumerate(cases)}
    answers = {index: answer for index, (_key, answer) in enumerate(cases)}
    result = score_attempt(keys, answers)
    assert result.maximum == len(cases)
    assert 0 <= result.points <= result.maximum
    assert 0 <= result.percent <= 100


@given(st.sets(st.integers(1, 8), min_size=1), st.sets(st.integers(1, 8)))
def test_partial_credit_is_right_picks_minus_wrong_picks_never_below_zero(correct, picked):
    key = QuestionKey(MULTIPLE, tuple(range(1, 9)), frozenset(correct), PARTIAL)
    right = len(picked & correct)
    wrong = len(picked - correct)
    expected = max(Fraction(0), Fraction(right - wrong, len(correct)))
    assert score_question(key, list(picked)) == expected


def test_partial_credit_examples():
    key = QuestionKey(MULTIPLE, (1, 2, 3, 4), frozenset({1, 2}), PARTIAL)
    assert score_question(key, [1, 2]) == 1
    assert score_question(key, [1]) == Fraction(1, 2)
    assert score_question(key, [1, 3]) == 0
    assert score_question(key, [3, 4]) == 0
    assert score_question(key, [1, 2, 3]) == Fraction(1, 2)


def test_all_or_nothing_needs_exactly_the_correct_set():
    key = QuestionKey(MULTIPLE, (1, 2, 3), frozenset({1, 2}), ALL_OR_NOTHING)
    assert score_question(key, [2, 1]) == 1
    assert score_question(key, [1]) == 0
    assert score_question(key, [1, 2, 3]) == 0


def test_single_choice_with_two_picks_scores_nothing():
    key = QuestionKey(SINGLE, (1, 2, 3), frozenset({1}))
    assert score_question(key, [1]) == 1
    assert score_question(key, [1, 2]) == 0
    assert score_question(key, []) == 0


def test_ordering_needs_every_step_in_place():
    key = QuestionKey(ORDERING, (5, 6, 7))
    assert score_question(key, [5, 6, 7]) == 1
    assert score_question(key, [5, 7, 6]) == 0


def test_pass_mark_is_judged_on_the_exact_score():
    keys = {n: QuestionKey(MULTIPLE, (1, 2, 3), frozenset({1, 2, 3}), PARTIAL) for n in range(3)}
    # Two full marks and one third of a mark: 7/9 = 77.7...%, which is below 78.
    result = score_attempt(keys, {0: [1, 2, 3], 1: [1, 2, 3], 2: [1]})
    assert result.percent == 77
    assert not result.passed(78)
    assert result.passed(77)


def test_invalid_questions_are_explained():
    assert question_problems(SINGLE, [("A", True), ("B", True)])
    assert question_problems(SINGLE, [("A", False), ("B", False)])
    assert question_problems(MULTIPLE, [("A", False), ("B", False)], ALL_OR_NOTHING)
    assert question_problems(ORDERING, [("A", False), ("B", False)])
    assert question_problems(TRUE_FALSE, [("True", True), ("False", False), ("Maybe", False)])
    assert not question_problems(SINGLE, [("A", True), ("B", False)])
    assert not question_problems(MULTIPLE, [("A", True), ("B", False)], PARTIAL)
    assert not question_problems(ORDERING, [("A", False), ("B", False), ("C", False)])
