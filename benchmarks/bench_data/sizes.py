"""How much benchmark data to make, and whether the numbers fit together."""

import dataclasses
import datetime
from dataclasses import dataclass

from certificates.issuing import STATUS_LIST_SIZE

# Dates are fixed relative to this moment, not to now, so a seed always gives the same
# rows; every enrolment, completion and attempt falls in the year before it.
DEFAULT_EPOCH = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)

# Failed attempts an enrolment may have besides its pass.
MAX_EXTRA_ATTEMPTS = 3
# Courses a cohort assignment can draw on: the large cohort's two, plus the others'.
LARGE_COHORT_COURSES = 2
MAX_COURSES_PER_COHORT = 2


class SizeError(ValueError):
    """The requested numbers cannot all be met at once; the message says which."""


@dataclass(frozen=True)
class Sizes:
    learners: int = 10_000
    organisations: int = 20
    courses: int = 50
    lessons_per_course: int = 8
    questions_per_assessment: int = 6
    enrolments_per_learner: int = 10
    completions: int = 500_000
    attempts: int = 100_000
    certificates: int = 20_000
    cohorts: int = 200

    # Multiplied by --scale; lessons, questions and enrolments per learner keep the
    # shape of one learner's record the same at every scale.
    SCALED = (
        "learners",
        "organisations",
        "courses",
        "cohorts",
        "completions",
        "attempts",
        "certificates",
    )

    @property
    def enrolments(self):
        return self.learners * self.enrolments_per_learner

    def scaled(self, scale):
        values = {name: max(0, round(getattr(self, name) * scale)) for name in self.SCALED}
        values["learners"] = max(1, values["learners"])
        # One large organisation and at least one other to spread learners over.
        values["organisations"] = max(2, values["organisations"])
        # Every learner takes enrolments_per_learner different courses.
        values["courses"] = max(self.enrolments_per_learner, values["courses"])
        values["cohorts"] = max(1, values["cohorts"])
        return dataclasses.replace(self, **values)

    def problems(self):
        """Why these numbers cannot be generated together (empty when they can)."""
        problems = []
        minimums = {
            "learners": 1,
            "organisations": 2,
            "courses": 1,
            "lessons_per_course": 1,
            "questions_per_assessment": 2,
            "cohorts": 1,
            "enrolments_per_learner": LARGE_COHORT_COURSES + MAX_COURSES_PER_COHORT,
        }
        for name, minimum in minimums.items():
            if getattr(self, name) < minimum:
                problems.append(f"{name} must be at least {minimum}.")
        if self.enrolments_per_learner > self.courses:
            problems.append("enrolments_per_learner cannot exceed courses.")
        if problems:
            return problems
        lessons = self.lessons_per_course
        # The bench learner's first enrolment is always left unfinished.
        finishable = self.enrolments - 1
        unfinished = self.enrolments - self.certificates
        most = min(finishable, STATUS_LIST_SIZE)
        if not 0 <= self.certificates <= most:
            problems.append(f"certificates must be between 0 and {most}.")
        low = self.certificates
        high = self.certificates + self.enrolments * MAX_EXTRA_ATTEMPTS
        if not low <= self.attempts <= high:
            problems.append(
                f"attempts must be between {low} (one pass per certificate) and {high}."
            )
        low = self.certificates * lessons
        high = low + unfinished * (lessons - 1)
        if not low <= self.completions <= high:
            problems.append(
                f"completions must be between {low} (every lesson of each certified course) "
                f"and {high} (unfinished courses short of one lesson)."
            )
        return problems
