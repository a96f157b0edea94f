"""Item-writing checks: cues that let a learner answer a question without knowing the
subject. Pure functions of a question's kind and options (text, is_correct pairs in
the editor's order), so the question form, the bank report and the tests of the demo
bank all apply the same rules.

The checks warn; they never stop a question being saved, because a writer may have a
good reason (a key that must name a section of an Act is sometimes longer).
"""

import re

from django.utils.translation import gettext_lazy as _

from . import scoring

# A correct option is "longest by a clear margin" when it is at least 20% AND at least
# 15 characters longer than the longest wrong option. Both are needed: among short
# options ("Yes" against "No") 20% is a letter or two that nobody notices, and among
# long ones (150 characters) 15 characters is a tenth of the option, within the
# ordinary variation of carefully written distractors. Only a gap that is large both
# ways is one a test-wise learner sees at a glance and picks.
LONGEST_MIN_RATIO = 1.2
LONGEST_MIN_CHARACTERS = 15

# A bank's true/false keys are "mostly one way" when fewer than 40% or more than 60%
# of them are True. With fewer than 5 items one extra item moves the share by 20
# points or more, so small banks are not judged.
TRUE_SHARE_LOW = 0.4
TRUE_SHARE_HIGH = 0.6
TRUE_FALSE_MIN_ITEMS = 5

# "All/none of the above" in English and Welsh. They reward partial knowledge (two
# options known right means "all" is right) and break when options are shuffled, as
# assessments here do. Apostrophes are normalised before matching.
ABOVE_PATTERN = re.compile(
    r"\b(all|none) of the above\b|\b([pb]ob un|dim un) o'r uchod\b",
    re.IGNORECASE,
)

# The words a true/false option uses for "True", in every language the bank is written in.
TRUE_WORDS = {"true", "gwir"}

LONGEST_CORRECT = "longest_correct"
ALL_OR_NONE_ABOVE = "all_or_none_above"

MESSAGES = {
    LONGEST_CORRECT: _(
        "The correct option is much longer than any other, which can give the answer away. "
        "Make the wrong options as long and specific as the correct one, or shorten it."
    ),
    ALL_OR_NONE_ABOVE: _(
        'An option says "all of the above" or "none of the above". Learners can answer it '
        "from part of the knowledge, and it makes no sense once options are shuffled. Write "
        "the options out instead."
    ),
}


def _text(text):
    return " ".join((text or "").split())


def correct_is_longest(options):
    """Whether the one correct option is longer than every wrong one (by any margin)."""
    correct = [len(_text(text)) for text, is_correct in options if is_correct and _text(text)]
    wrong = [len(_text(text)) for text, is_correct in options if not is_correct and _text(text)]
    return len(correct) == 1 and bool(wrong) and correct[0] > max(wrong)


def correct_is_longest_by_margin(options):
    """Whether the one correct option is the longest by a clear margin (see above)."""
    if not correct_is_longest(options):
        return False
    correct = next(len(_text(text)) for text, is_correct in options if is_correct and _text(text))
    runner_up = max(len(_text(text)) for text, is_correct in options if not is_correct)
    return (
        correct >= runner_up * LONGEST_MIN_RATIO and correct - runner_up >= LONGEST_MIN_CHARACTERS
    )


def uses_all_or_none_of_the_above(options):
    """Whether any option is "all of the above", "none of the above" or a Welsh form."""
    return any(
        ABOVE_PATTERN.search(_text(text).replace("\u2019", "'").replace("`", "'"))
        for text, _correct in options
    )


def keyed_true(options):
    """For a true/false question: True when its correct option is "True" ("Gwir")."""
    return any(is_correct and _text(text).lower() in TRUE_WORDS for text, is_correct in options)


def question_flags(kind, options):
    """The checks a question fails, as a list of codes (keys of MESSAGES)."""
    flags = []
    if kind == scoring.SINGLE and correct_is_longest_by_margin(options):
        flags.append(LONGEST_CORRECT)
    if kind in (scoring.SINGLE, scoring.MULTIPLE) and uses_all_or_none_of_the_above(options):
        flags.append(ALL_OR_NONE_ABOVE)
    return flags


def question_warnings(kind, options):
    """The messages for a question's failed checks, for its editor."""
    return [MESSAGES[flag] for flag in question_flags(kind, options)]


def true_false_balance(keys):
    """The share of true/false items keyed True, and whether it is lopsided.

    keys: one boolean per true/false question of a bank (True when keyed "True").
    Returns (true_count, total, lopsided).
    """
    keys = list(keys)
    total = len(keys)
    true_count = sum(1 for key in keys if key)
    lopsided = total >= TRUE_FALSE_MIN_ITEMS and not (
        TRUE_SHARE_LOW <= true_count / total <= TRUE_SHARE_HIGH
    )
    return true_count, total, lopsided
