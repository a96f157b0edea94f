"""Scoring rules for assessments: pure functions of a question's key and an answer.

Every question is worth one mark. Scores are Fractions so that partial credit adds
up exactly; the percentage shown to learners is rounded down, so a learner is never
told they passed when the exact score is below the pass mark.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
ORDERING = "ordering"

ALL_OR_NOTHING = "all_or_nothing"
PARTIAL = "partial"


@dataclass(frozen=True)
class QuestionKey:
    """What scoring needs to know about a question, frozen when an attempt starts.

    option_ids: every option, in the editor's order (for ordering questions, the
    correct order); correct_ids: the options marked correct.
    """

    kind: str
    option_ids: tuple
    correct_ids: frozenset = field(default_factory=frozenset)
    rule: str = ALL_OR_NOTHING


def score_choice(key, selected):
    """Single choice and true/false: one mark for the one correct option alone."""
    chosen = set(selected)
    return Fraction(1) if len(chosen) == 1 and chosen <= key.correct_ids else Fraction(0)


def score_multiple(key, selected):
    """Multiple response.

    All or nothing: one mark only for exactly the correct set.
    Partial: each correct pick earns 1/(number correct) and each wrong pick loses the
    same amount; the total is never below zero.
    """
    chosen = set(selected) & set(key.option_ids)
    if key.rule == ALL_OR_NOTHING:
        return Fraction(1) if chosen == set(key.correct_ids) else Fraction(0)
    if not key.correct_ids:
        return Fraction(0)
    right = len(chosen & key.correct_ids)
    wrong = len(chosen - key.correct_ids)
    return max(Fraction(0), Fraction(right - wrong, len(key.correct_ids)))


def score_ordering(key, submitted_order):
    """Ordering: one mark when every step is in the right place."""
    return Fraction(1) if tuple(submitted_order) == tuple(key.option_ids) else Fraction(0)


SCORERS = {
    SINGLE: score_choice,
    TRUE_FALSE: score_choice,
    MULTIPLE: score_multiple,
    ORDERING: score_ordering,
}


def score_question(key, answer):
    """Marks for one answer (a list of option ids; for ordering, in the learner's order)."""
    return SCORERS[key.kind](key, list(answer or ()))


@dataclass(frozen=True)
class Result:
    points: Fraction
    maximum: int
    per_question: dict

    @property
    def percent(self):
        if not self.maximum:
            return 0
        return int(self.points * 100 / self.maximum)

    def passed(self, pass_mark):
        return self.maximum > 0 and self.points * 100 >= pass_mark * self.maximum


def score_attempt(keys, answers):
    """Score every question of a paper; keys and answers are keyed by question id."""
    per_question = {qid: score_question(key, answers.get(qid)) for qid, key in keys.items()}
    return Result(
        points=sum(per_question.values(), Fraction(0)), maximum=len(keys), per_question=per_question
    )


def question_problems(kind, options, rule=None):
    """Why a question cannot be saved, as a list of messages (empty when it is valid).

    options: (text, is_correct) pairs in the editor's order.
    """
    problems = []
    texts = [text for text, _correct in options if (text or "").strip()]
    correct = sum(1 for text, is_correct in options if is_correct and (text or "").strip())
    if kind in (SINGLE, TRUE_FALSE) and correct != 1:
        problems.append(_("Mark exactly one option as correct."))
    if kind == TRUE_FALSE and len(texts) != 2:
        problems.append(_("A true/false question has exactly two options."))
    if kind == SINGLE and len(texts) < 2:
        problems.append(_("Give at least two options."))
    if kind == MULTIPLE:
        if correct < 1:
            problems.append(_("Mark at least one option as correct."))
        if len(texts) < 2:
            problems.append(_("Give at least two options."))
        if rule not in (ALL_OR_NOTHING, PARTIAL):
            problems.append(_("Choose how the question is scored."))
    if kind == ORDERING and len(texts) < 3:
        problems.append(_("An ordering question needs at least three steps."))
    return problems
