"""Question pools: how assessments draw from them, and how varied the papers they give are.

Pure functions, without the database, so the arithmetic the editor sees and the rule the
draws follow can be tested on their own and are written once.
"""

from dataclasses import dataclass
from fractions import Fraction
from math import comb

# Beyond this the exact number of papers tells an editor nothing more.
MANY_PAPERS = 10**6


@dataclass(frozen=True)
class Draw:
    """One random block: `count` items drawn from a pool of `pool`, each item giving
    `questions_per_item` questions on average (1 for questions, more for scenarios)."""

    pool: int
    count: int
    questions_per_item: Fraction = Fraction(1)

    @property
    def drawn(self):
        return min(self.count, self.pool)

    @property
    def papers(self):
        return comb(self.pool, self.drawn)

    @property
    def repeated(self):
        """Items a learner's next attempt has to draw again from their last one.

        Draws take unseen items first, so only what the pool cannot cover twice repeats.
        """
        return max(0, 2 * self.drawn - self.pool)

    @property
    def questions(self):
        return self.drawn * self.questions_per_item

    @property
    def repeated_questions(self):
        return self.repeated * self.questions_per_item

    @property
    def repeat_share(self):
        return Fraction(self.repeated, self.drawn) if self.drawn else Fraction(0)


def distinct_papers(draws):
    """How many different selections the random blocks allow (a product of binomials)."""
    total = 1
    for draw in draws:
        total *= draw.papers
    return total


def repeat_share(draws, fixed_questions=0):
    """The share of a paper's questions that a learner's next attempt sees again: every
    fixed question, plus what the random blocks cannot avoid repeating."""
    questions = fixed_questions + sum((draw.questions for draw in draws), Fraction(0))
    if not questions:
        return Fraction(0)
    repeated = fixed_questions + sum((draw.repeated_questions for draw in draws), Fraction(0))
    return Fraction(repeated) / questions


def mostly_repeated(share):
    """More than half of a re-attempt would be questions the learner has just seen."""
    return share > Fraction(1, 2)


def least_recently_seen(candidates, count, last_seen, rng):
    """Choose `count` of the candidates, those the learner has not seen first, then those
    seen longest ago; random among equals. `last_seen` maps a candidate to the number of
    the learner's last attempt that had it (missing: never seen)."""
    shuffled = list(candidates)
    rng.shuffle(shuffled)
    shuffled.sort(key=lambda candidate: last_seen.get(candidate, 0))
    return shuffled[: max(0, count)]
