"""Benchmark enrolments, lesson completions, marked attempts and certificates.

Which enrolments are finished, how far the others got and how many attempts each has
are drawn up front so the totals are exact; rows are then made learner by learner and
inserted in chunks, so memory stays flat whatever the size.
"""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from certificates.issuing import STATUS_LIST_SIZE, add_months
from certificates.models import CODE_ALPHABET, CODE_LENGTH, Certificate
from courses.models import Enrolment, LessonCompletion
from quizzes import scoring
from quizzes.models import AnswerChoice, Attempt, AttemptAnswer

from .content import PASS_MARK
from .sizes import MAX_EXTRA_ATTEMPTS

LEARNERS_PER_CHUNK = 500
SECOND = datetime.timedelta(seconds=1)
DAY = datetime.timedelta(days=1)
# Chance that an unfinished enrolment's last attempt passed (its lessons are not all done).
UNFINISHED_PASS_RATE = 0.5


def counts_from_slots(rng, total_slots, wanted, slots_per_item, items):
    """Spread `wanted` units over `items`, at most `slots_per_item` each, uniformly."""
    counts = [0] * items
    for slot in rng.sample(range(total_slots), wanted):
        counts[slot // slots_per_item] += 1
    return counts


class Plan:
    """Per enrolment (learner-major order): finished or not, lessons done, extra attempts."""

    def __init__(self, sizes, rng):
        enrolments = sizes.enrolments
        lessons = sizes.lessons_per_course
        # The bench learner's first enrolment stays unfinished, so a benchmark can
        # always complete a lesson of it.
        self.finished = [False] * enrolments
        for index in rng.sample(range(1, enrolments), sizes.certificates):
            self.finished[index] = True
        unfinished = [i for i in range(enrolments) if not self.finished[i]]
        extra_lessons = sizes.completions - sizes.certificates * lessons
        per_unfinished = counts_from_slots(
            rng, len(unfinished) * (lessons - 1), extra_lessons, lessons - 1, len(unfinished)
        )
        self.lessons_done = [lessons if finished else 0 for finished in self.finished]
        for position, index in enumerate(unfinished):
            self.lessons_done[index] = per_unfinished[position]
        self.extra_attempts = counts_from_slots(
            rng,
            enrolments * MAX_EXTRA_ATTEMPTS,
            sizes.attempts - sizes.certificates,
            MAX_EXTRA_ATTEMPTS,
            enrolments,
        )


def learner_courses(sizes, assigned, rng):
    """The courses a learner is enrolled on: those assigned to them, then their own picks."""
    chosen = list(dict.fromkeys(assigned))
    others = [course for course in range(sizes.courses) if course not in chosen]
    chosen += rng.sample(others, sizes.enrolments_per_learner - len(chosen))
    return sorted(chosen)


def as_decimal(fraction):
    return Decimal(fraction.numerator) / Decimal(fraction.denominator)


def random_uuid(rng):
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class AttemptMaker:
    """Marked attempts at one course's final assessment, as submit_attempt marks them."""

    def __init__(self, course):
        self.course = course
        self.keys = {
            question.pk: scoring.QuestionKey(
                kind=question.kind,
                option_ids=question.option_ids,
                correct_ids=question.correct_ids,
                rule=question.rule,
            )
            for question in course.questions
        }
        self.keys_json = {
            str(question.pk): {
                "kind": question.kind,
                "options": list(question.option_ids),
                "correct": sorted(question.correct_ids),
                "rule": question.rule,
            }
            for question in course.questions
        }
        self.marked = {}
        count = len(course.questions)
        self.most_wrong_to_pass = max(
            wrong for wrong in range(count + 1) if (count - wrong) * 100 >= PASS_MARK * count
        )

    def answer(self, rng, question, right):
        if question.kind == scoring.ORDERING:
            order = list(question.option_ids)
            return order if right else order[::-1]
        if right:
            return sorted(question.correct_ids)
        # One wrong option alone scores nothing under every rule.
        wrong = [pk for pk in question.option_ids if pk not in question.correct_ids]
        return [rng.choice(wrong)]

    def paper(self, rng):
        paper = []
        for question in self.course.questions:
            display = list(question.option_ids)
            rng.shuffle(display)
            if question.kind == scoring.ORDERING and display == list(question.option_ids):
                display.reverse()
            paper.append({"question": question.pk, "scenario": None, "options": display})
        return paper

    def marks(self, given, wrong):
        """The marks for a paper, scored as submit_attempt scores it. They depend only on
        which questions were answered wrongly, so each pattern is scored once."""
        key = frozenset(wrong)
        if key not in self.marked:
            result = scoring.score_attempt(self.keys, given)
            self.marked[key] = (
                as_decimal(result.points),
                result.maximum,
                result.percent,
                result.passed(PASS_MARK),
                [
                    (pk, round(as_decimal(points), 3), points == 1)
                    for pk, points in result.per_question.items()
                ],
            )
        return self.marked[key]

    def make(self, rng, user_id, number, passes, started_at):
        questions = self.course.questions
        count = len(questions)
        if passes:
            wrong_count = rng.randint(0, self.most_wrong_to_pass)
        else:
            wrong_count = rng.randint(self.most_wrong_to_pass + 1, count)
        wrong = set(rng.sample(range(count), wrong_count))
        given = {
            question.pk: self.answer(rng, question, index not in wrong)
            for index, question in enumerate(questions)
        }
        score, maximum, percent, passed, per_question = self.marks(given, wrong)
        submitted_at = started_at + rng.randint(300, 1800) * SECOND
        attempt = {
            "id": random_uuid(rng),
            "user_id": user_id,
            "assessment_id": self.course.assessment_id,
            "number": number,
            "started_at": started_at,
            "paper": self.paper(rng),
            "keys": self.keys_json,
            "answers": {str(pk): ids for pk, ids in given.items()},
            "answers_saved_at": submitted_at,
            "submitted_at": submitted_at,
            "score": score,
            "max_score": maximum,
            "percent": percent,
            "passed": passed,
        }
        # (attempt, question, points, correct, options chosen) per answer.
        marked = [
            (attempt["id"], pk, points, correct, given[pk]) for pk, points, correct in per_question
        ]
        return attempt, marked


class Rows:
    """One chunk's rows, inserted in an order that respects their foreign keys."""

    ENROLMENT_FIELDS = (
        "user_id",
        "course_id",
        "enrolled_at",
        "cycle_started_at",
        "last_activity_at",
        "completed_at",
    )

    ATTEMPT_FIELDS = (
        "id",
        "user_id",
        "assessment_id",
        "number",
        "started_at",
        "paper",
        "keys",
        "answers",
        "answers_saved_at",
        "submitted_at",
        "score",
        "max_score",
        "percent",
        "passed",
    )

    def __init__(self):
        self.enrolments = []  # values of ENROLMENT_FIELDS
        self.completions = []  # (enrolment position in chunk, lesson id, when)
        self.attempts = []  # dictionaries of ATTEMPT_FIELDS
        self.answers = []  # (attempt id, question id, points, correct, options chosen)
        self.certificates = []  # (enrolment position in chunk, certificate)

    def insert(self, inserted):
        enrolment_ids = inserted.insert_rows(
            Enrolment, self.ENROLMENT_FIELDS, self.enrolments, with_ids=True
        )
        inserted.insert_rows(
            LessonCompletion,
            ("enrolment_id", "lesson_id", "completed_at"),
            [(enrolment_ids[at], lesson, when) for at, lesson, when in self.completions],
        )
        inserted.insert_rows(
            Attempt,
            self.ATTEMPT_FIELDS,
            [tuple(attempt[name] for name in self.ATTEMPT_FIELDS) for attempt in self.attempts],
        )
        answer_ids = inserted.insert_rows(
            AttemptAnswer,
            ("attempt_id", "question_id", "points", "is_correct"),
            [answer[:4] for answer in self.answers],
            with_ids=True,
        )
        inserted.insert_rows(
            AnswerChoice,
            ("answer_id", "option_id", "position"),
            [
                (answer_id, option, position)
                for answer_id, answer in zip(answer_ids, self.answers, strict=True)
                for position, option in enumerate(answer[4], start=1)
            ],
        )
        for at, certificate in self.certificates:
            certificate.enrolment_id = enrolment_ids[at]
        inserted.insert(Certificate, [certificate for _at, certificate in self.certificates])


class Certifier:
    """Certificates with the fields issuing freezes, and codes and status list places
    drawn from the seed instead of the system's randomness."""

    def __init__(self, rng, count):
        self.rng = rng
        used = set(Certificate.objects.values_list("status_index", flat=True))
        free = (i for i in rng.sample(range(STATUS_LIST_SIZE), count + len(used)) if i not in used)
        self.indexes = iter([next(free) for _ in range(count)])
        self.codes = set()

    def code(self):
        while True:
            code = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def certificate(self, user_id, holder_name, course, completed_at):
        completed_on = timezone.localdate(completed_at)
        return Certificate(
            id=random_uuid(self.rng),
            user_id=user_id,
            course_id=course.pk,
            completed_at=completed_at,
            holder_name=holder_name,
            course_title=course.title,
            sectors=course.sector_labels,
            cpd_hours=course.cpd_hours,
            completed_on=completed_on,
            expires_on=add_months(completed_on, course.validity_months),
            issuer_name=settings.CERTIFICATE_ISSUER_NAME,
            code=self.code(),
            status_index=next(self.indexes),
            issued_at=completed_at,
        )


class Learning:
    """Makes each learner's enrolments in turn, inserting them a chunk at a time."""

    def __init__(self, sizes, rng, epoch, courses, inserted):
        self.sizes = sizes
        self.rng = rng
        self.epoch = epoch
        self.courses = courses
        self.inserted = inserted
        self.plan = Plan(sizes, rng)
        self.makers = [AttemptMaker(course) for course in courses]
        self.certifier = Certifier(rng, sizes.certificates)
        self.rows = Rows()
        self.index = 0

    def enrolment(self, user_id, holder_name, course_number):
        rng, rows, plan, index = self.rng, self.rows, self.plan, self.index
        course = self.courses[course_number]
        youngest = 3 * (len(course.lesson_ids) + MAX_EXTRA_ATTEMPTS + 2)
        started = self.epoch - DAY * youngest - rng.randint(0, max(1, 365 - youngest)) * DAY
        started -= rng.randint(0, 86_399) * SECOND
        step = rng.randint(1_800, 2 * 86_400) * SECOND
        position = len(rows.enrolments)
        done = plan.lessons_done[index]
        for number, lesson in enumerate(course.lesson_ids[:done], start=1):
            rows.completions.append((position, lesson, started + step * number))
        last_activity = started + step * done
        moment = last_activity + step
        finished = plan.finished[index]
        attempts = plan.extra_attempts[index] + finished
        for number in range(1, attempts + 1):
            # Only the last attempt can pass: nobody retakes an assessment they passed.
            passes = number == attempts and (finished or rng.random() < UNFINISHED_PASS_RATE)
            attempt, marked = self.makers[course_number].make(rng, user_id, number, passes, moment)
            rows.attempts.append(attempt)
            rows.answers += marked
            last_activity = attempt["submitted_at"]
            moment = last_activity + rng.randint(3_600, 2 * 86_400) * SECOND
        if finished:
            certificate = self.certifier.certificate(user_id, holder_name, course, last_activity)
            rows.certificates.append((position, certificate))
        completed_at = last_activity if finished else None
        rows.enrolments.append((user_id, course.pk, started, started, last_activity, completed_at))
        self.index += 1

    def flush(self):
        self.rows.insert(self.inserted)
        self.rows = Rows()


def create_learning(sizes, rng, epoch, courses, people, inserted):
    learning = Learning(sizes, rng, epoch, courses, inserted)
    for learner, user_id in enumerate(people.learner_ids):
        for course in learner_courses(sizes, people.assigned_courses[learner], rng):
            learning.enrolment(user_id, people.learner_names[learner], course)
        if (learner + 1) % LEARNERS_PER_CHUNK == 0:
            learning.flush()
    learning.flush()
