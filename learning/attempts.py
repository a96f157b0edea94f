"""Starting, saving, submitting and reviewing attempts: the rules, apart from HTTP.

Everything a learner sends is checked against the attempt's frozen paper; scores are
computed here from the frozen keys and never taken from the request.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.page_languages import original
from core.strict_parsing import ascii_int
from courses.models import Enrolment
from learning import progress_summary
from learning.adjustments import time_limit_for
from learning.progress import update_completion
from learning.signals import attempt_marked
from quizzes import pools, scoring
from quizzes.models import (
    AnswerChoice,
    Attempt,
    AttemptAnswer,
    Question,
    QuestionCategory,
    QuestionOption,
)
from quizzes.models.pages import FeedbackPolicy


class AttemptRefused(Exception):
    """The rules do not allow this; the message tells the learner why."""


class UnansweredQuestions(Exception):
    """Submitted with questions left unanswered, which the learner has not yet confirmed:
    nothing is marked. `answers` are the answers the form gave."""

    def __init__(self, answers):
        super().__init__("unanswered questions")
        self.answers = answers


def grace_period():
    return timedelta(seconds=getattr(settings, "ASSESSMENT_GRACE_SECONDS", 30))


# Building a paper -------------------------------------------------------------


def _questions_with_options(filters):
    # A question of a scenario group that is not live (never published) is not asked:
    # learners would meet it without its stem. A live group's row is its published stem.
    return list(
        Question.objects.filter(filters, Q(scenario=None) | Q(scenario__live=True), live=True)
        .select_related("scenario", "locale")
        .prefetch_related("options")
    )


def last_seen(user, assessment):
    """For each question and scenario group the learner was asked in an attempt at this
    assessment, the number of the last attempt that had it (read from the marked answers,
    as every earlier attempt is marked before another starts)."""
    seen = {}
    for question_id, scenario_id, number in AttemptAnswer.objects.filter(
        attempt__user=user, attempt__assessment=assessment
    ).values_list("question_id", "question__scenario_id", "attempt__number"):
        for key in (("question", question_id), ("scenario", scenario_id)):
            if key[1] is not None and seen.get(key, 0) < number:
                seen[key] = number
    return seen


def resolve_questions(assessment, rng, seen=None):
    """The assessment's live questions in order: fixed ones, scenario groups, random draws.

    A question that was never published (an editor's new draft) is never asked; a
    published one is asked as published, whatever drafts wait on it. Random draws take
    what the learner has not seen first, then what they saw longest ago (`seen`, from
    last_seen), so consecutive attempts differ as much as the pools allow.
    """
    seen = seen or {}
    blocks = [block for block in assessment.items if block.value]
    question_ids = [b.value.pk for b in blocks if b.block_type == "question"]
    scenario_ids = [b.value.pk for b in blocks if b.block_type == "scenario"]

    chosen_scenarios = set(scenario_ids)
    drawn_scenarios = {}
    for index, block in enumerate(blocks):
        if block.block_type != "random_scenarios" or not block.value["category"]:
            continue
        # A scenario group with no live question in its own language has nothing to ask,
        # and one never published is not asked at all.
        pool = set(
            Question.objects.filter(
                scenario__category=block.value["category"],
                scenario__live=True,
                live=True,
                locale=F("scenario__locale"),
            )
            .exclude(scenario_id__in=chosen_scenarios)
            .values_list("scenario_id", flat=True)
        )
        picked = pools.least_recently_seen(
            sorted(pool),
            block.value["count"],
            {pk: seen.get(("scenario", pk), 0) for pk in pool},
            rng,
        )
        chosen_scenarios.update(picked)
        drawn_scenarios[index] = picked

    # A scenario's translations have questions of their own; only those in the scenario's
    # language belong to this paper.
    fixed = _questions_with_options(
        Q(pk__in=question_ids) | Q(scenario_id__in=chosen_scenarios, locale=F("scenario__locale"))
    )
    by_id = {question.pk: question for question in fixed}
    by_scenario = {}
    for question in sorted(fixed, key=lambda q: (q.position_in_scenario, q.pk)):
        if question.scenario_id in chosen_scenarios:
            by_scenario.setdefault(question.scenario_id, []).append(question)

    chosen = set(by_id)
    drawn = {}
    for index, block in enumerate(blocks):
        if block.block_type != "random_questions" or not block.value["category"]:
            continue
        pool = list(
            Question.objects.filter(
                category=block.value["category"], scenario__isnull=True, live=True
            )
            .exclude(pk__in=chosen)
            .values_list("pk", flat=True)
        )
        picked = pools.least_recently_seen(
            sorted(pool),
            block.value["count"],
            {pk: seen.get(("question", pk), 0) for pk in pool},
            rng,
        )
        chosen.update(picked)
        drawn[index] = picked
    if drawn:
        extra = _questions_with_options(Q(pk__in=[pk for pks in drawn.values() for pk in pks]))
        by_id.update({question.pk: question for question in extra})

    ordered = []
    for index, block in enumerate(blocks):
        if block.block_type == "question" and block.value.pk in by_id:
            ordered.append(by_id[block.value.pk])
        elif block.block_type == "scenario":
            ordered.extend(by_scenario.get(block.value.pk, []))
        elif index in drawn_scenarios:
            for scenario_id in drawn_scenarios[index]:
                ordered.extend(by_scenario.get(scenario_id, []))
        elif index in drawn:
            ordered.extend(by_id[pk] for pk in drawn[index] if pk in by_id)
    seen_ids = set()
    return [q for q in ordered if not (q.pk in seen_ids or seen_ids.add(q.pk))]


def question_text(question, options, with_scenario):
    """What a learner reads of one question, in the question's own language."""
    return {
        "prompt": question.prompt,
        "explanation": question.explanation,
        "source": question.source_reference,
        "options": {str(option.pk): [option.text, option.feedback] for option in options},
        "scenario": (
            [question.scenario.title, question.scenario.stem]
            if with_scenario and question.scenario_id
            else None
        ),
    }


def frozen_texts(questions):
    """Each question's words in every language it has been published in, keyed by
    question id and language code. Translations give their text to the original's
    options, place by place (as the original's ids are the ones answered and scored);
    a translation out of step with its original is left out."""
    # One query: the translations' options, each with its question (a translation
    # without options could not be shown anyway).
    translations, options_of = {}, {}
    for option in (
        QuestionOption.objects.filter(
            question__translation_key__in=[question.translation_key for question in questions],
            question__live=True,
        )
        .exclude(question_id__in=[question.pk for question in questions])
        .exclude(question__scenario__live=False)
        .select_related("question__scenario", "question__locale")
        .order_by("question_id", "sort_order", "pk")
    ):
        other = option.question
        if other.pk not in options_of:
            translations.setdefault(other.translation_key, []).append(other)
            options_of[other.pk] = []
        options_of[other.pk].append(option)
    texts, previous_scenario = {}, None
    for question in questions:
        options = list(question.options.all())
        # A scenario's stem is shown before the first of its questions only.
        first_of_scenario = question.scenario_id and question.scenario_id != previous_scenario
        previous_scenario = question.scenario_id
        words = {question.locale.language_code: question_text(question, options, first_of_scenario)}
        for other in translations.get(question.translation_key, []):
            other_options = options_of[other.pk]
            if len(other_options) != len(options):
                continue
            text = question_text(other, other_options, first_of_scenario)
            text["options"] = {
                str(option.pk): [other_option.text, other_option.feedback]
                for option, other_option in zip(options, other_options, strict=True)
            }
            words[other.locale.language_code] = text
        texts[question.pk] = words
    return texts


def build_paper(questions, shuffle_options, rng):
    """Freeze the question order, each question's option order, what the learner reads
    (in each language) and the scoring keys: publishing a question later changes nothing
    in an attempt already started."""
    paper, keys = [], {}
    texts = frozen_texts(questions)
    for question in questions:
        options = list(question.options.all())
        key = question.key(options)
        display = [option.pk for option in options]
        # Ordering questions are always shuffled: the editor's order is the answer.
        if shuffle_options or question.kind == scoring.ORDERING:
            rng.shuffle(display)
            if question.kind == scoring.ORDERING and display == list(key.option_ids):
                display.reverse()
        paper.append(
            {
                "question": question.pk,
                "scenario": question.scenario_id,
                "options": display,
                "text": texts[question.pk],
            }
        )
        keys[str(question.pk)] = {
            "kind": key.kind,
            "options": list(key.option_ids),
            "correct": sorted(key.correct_ids),
            "rule": key.rule,
        }
    return paper, keys


def keys_from_json(keys):
    return {
        int(question_id): scoring.QuestionKey(
            kind=data["kind"],
            option_ids=tuple(data["options"]),
            correct_ids=frozenset(data["correct"]),
            rule=data["rule"],
        )
        for question_id, data in keys.items()
    }


# Limits -----------------------------------------------------------------------


@dataclass
class AttemptState:
    submitted: list
    open_attempt: Attempt | None
    attempts_left: int | None
    next_allowed_at: object
    has_passed: bool

    @property
    def best_percent(self):
        scores = [attempt.percent for attempt in self.submitted if attempt.percent is not None]
        return max(scores) if scores else None


def attempt_state(user, assessment, now=None):
    now = now or timezone.now()
    attempts = list(Attempt.objects.filter(user=user, assessment=assessment).order_by("number"))
    submitted = [attempt for attempt in attempts if attempt.is_submitted]
    open_attempt = next((attempt for attempt in attempts if not attempt.is_submitted), None)
    left = None
    if assessment.max_attempts:
        left = max(0, assessment.max_attempts - len(submitted))
    next_allowed_at = None
    if submitted and assessment.cooldown_minutes:
        ready = submitted[-1].submitted_at + timedelta(minutes=assessment.cooldown_minutes)
        if ready > now:
            next_allowed_at = ready
    return AttemptState(
        submitted=submitted,
        open_attempt=open_attempt,
        attempts_left=left,
        next_allowed_at=next_allowed_at,
        has_passed=any(attempt.passed for attempt in submitted),
    )


def is_expired(attempt, now):
    return attempt.deadline is not None and now > attempt.deadline + grace_period()


def seconds_left(attempt, now=None):
    """Whole seconds until the attempt's deadline (0 once it has passed), or None when it
    has no time limit. Pages and the autosave answer read time from here only, so a limit
    set per learner counts the same everywhere."""
    if attempt.deadline is None:
        return None
    now = now or timezone.now()
    return max(0, int((attempt.deadline - now).total_seconds()))


@transaction.atomic
def start_attempt(user, assessment, now=None, rng=None):
    """Start an attempt, or return the one already open; refuse when the rules say no."""
    now = now or timezone.now()
    course = assessment.get_parent()
    # Locking the enrolment serialises starts, so two tabs cannot both start one.
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course_id=course.pk).first()
    if enrolment is None:
        raise AttemptRefused(_("Enrol in the course before you take its assessment."))
    open_attempt = (
        Attempt.objects.filter(user=user, assessment=assessment, submitted_at__isnull=True)
        .order_by("-number")
        .first()
    )
    if open_attempt:
        if not is_expired(open_attempt, now):
            return open_attempt
        submit_attempt(open_attempt.pk, user, answers=None, now=now)
    state = attempt_state(user, assessment, now)
    if state.attempts_left == 0:
        raise AttemptRefused(_("You have used all your attempts at this assessment."))
    if state.next_allowed_at:
        raise AttemptRefused(
            _("You can try again from %(time)s.")
            % {"time": date_format(timezone.localtime(state.next_allowed_at), "j F Y, H:i")}
        )
    rng = rng or random.SystemRandom()
    questions = resolve_questions(assessment, rng, last_seen(user, assessment))
    if not questions:
        raise AttemptRefused(_("This assessment has no questions yet."))
    paper, keys = build_paper(questions, assessment.shuffle_options, rng)
    # Every attempt so far is submitted now (an expired open one was just above).
    number = len(state.submitted) + (state.open_attempt is not None) + 1
    limit = time_limit_for(user, assessment)
    deadline = now + timedelta(minutes=limit.minutes) if limit.minutes else None
    attempt = Attempt.objects.create(
        user=user,
        assessment=assessment,
        number=number,
        deadline=deadline,
        time_limit_minutes=limit.minutes,
        adjustment=limit.code,
        paper=paper,
        keys=keys,
    )
    progress_summary.refresh(course.path, [enrolment.pk])
    return attempt


# Answers ----------------------------------------------------------------------

MAX_ANSWER_FIELD_LENGTH = 20


def parse_answers(attempt, data):
    """Read answers from a submitted form, keeping only what fits the attempt's paper.

    Single and true/false: ``q<question id>`` = option id. Multiple response: ``q<id>``
    repeated. Ordering: ``q<id>-<option id>`` = the step's position (1, 2, ...).
    Raises AttemptRefused with a message for anything that does not fit.
    """
    answers = {}
    for item in attempt.paper:
        question_id = item["question"]
        kind = attempt.keys[str(question_id)]["kind"]
        allowed = set(item["options"])
        name = f"q{question_id}"
        if kind == scoring.ORDERING:
            positions = {}
            for option_id in item["options"]:
                raw = data.get(f"{name}-{option_id}", "")
                if raw == "":
                    continue
                position = ascii_int(raw) if len(raw) <= MAX_ANSWER_FIELD_LENGTH else None
                if position is None:
                    raise AttemptRefused(_("Choose a position from the list for each step."))
                positions[option_id] = position
            if not positions:
                continue
            if sorted(positions.values()) != list(range(1, len(allowed) + 1)):
                raise AttemptRefused(
                    _("Give each step a different position, from 1 to %(count)s.")
                    % {"count": len(allowed)}
                )
            answers[str(question_id)] = sorted(positions, key=positions.get)
            continue
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        if isinstance(values, str):
            values = [values]
        chosen = []
        for raw in values:
            option_id = ascii_int(raw) if len(raw) <= MAX_ANSWER_FIELD_LENGTH else None
            if option_id not in allowed:
                raise AttemptRefused(_("One of the answers is not an option of its question."))
            chosen.append(option_id)
        if kind != scoring.MULTIPLE and len(chosen) > 1:
            raise AttemptRefused(_("Choose only one answer for each single-choice question."))
        if chosen:
            answers[str(question_id)] = sorted(set(chosen))
    return answers


def save_answers(attempt, answers, now=None):
    """Keep the learner's answers so far; refused once the attempt is over."""
    now = now or timezone.now()
    if is_expired(attempt, now):
        raise AttemptRefused(_("Time is up. Answers saved before the time limit will be marked."))
    if reveals_while_answering(attempt.assessment.feedback):
        answers = keep_revealed(attempt.answers, answers)
    updated = Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
        answers=answers, answers_saved_at=now
    )
    if not updated:
        raise AttemptRefused(_("This attempt has already been submitted."))


ATTEMPT_FIELDS = [field.attname for field in Attempt._meta.concrete_fields]
# The pass mark, whether the assessment is required (its kind), where its course is, and
# whether answers already shown with their keys are kept as saved.
MARKING_FIELDS = [
    "assessment__pass_mark",
    "assessment__kind",
    "assessment__path",
    "assessment__feedback",
]


@transaction.atomic
def submit_attempt(attempt_id, user, answers=None, now=None, form=None, confirm_unanswered=False):
    """Mark the attempt once. A second submission returns the first result unchanged.

    The answers come as a dict or as the posted `form`, read against the locked
    attempt's paper (AttemptRefused, with nothing saved, for anything that does not
    fit). Answers sent after the deadline (plus grace) are ignored: the attempt is
    marked on the answers saved in time. With `confirm_unanswered`, answers that leave
    a question unanswered raise UnansweredQuestions and nothing is marked.
    """
    now = now or timezone.now()
    # Only the attempt is locked; what marking needs of its assessment is read with it
    # (building the whole page cost more than the rest of the query).
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("assessment")
        .only(*ATTEMPT_FIELDS, *MARKING_FIELDS)
        .filter(pk=attempt_id, user=user)
        .first()
    )
    if attempt is None:
        raise Attempt.DoesNotExist
    if attempt.is_submitted:
        return attempt
    marked_fields = ["submitted_at", "score", "max_score", "percent", "passed"]
    if not is_expired(attempt, now):
        if form is not None:
            answers = parse_answers(attempt, form)
        if answers is not None:
            if reveals_while_answering(attempt.assessment.feedback):
                answers = keep_revealed(attempt.answers, answers)
            if confirm_unanswered and any(
                str(item["question"]) not in answers for item in attempt.paper
            ):
                raise UnansweredQuestions(answers)
            attempt.answers = answers
            attempt.answers_saved_at = now
            marked_fields += ["answers", "answers_saved_at"]
    keys = keys_from_json(attempt.keys)
    given = {int(question_id): ids for question_id, ids in attempt.answers.items()}
    result = scoring.score_attempt(keys, given)
    assessment = attempt.assessment

    attempt.submitted_at = now
    attempt.score = Decimal(result.points.numerator) / Decimal(result.points.denominator)
    attempt.max_score = result.maximum
    attempt.percent = result.percent
    attempt.passed = result.passed(assessment.pass_mark)
    # The paper and its keys never change; writing them again cost more than the marks.
    attempt.save(update_fields=marked_fields)

    marked = AttemptAnswer.objects.bulk_create(
        [
            AttemptAnswer(
                attempt=attempt,
                question_id=question_id,
                points=round(Decimal(points.numerator) / Decimal(points.denominator), 3),
                is_correct=points == 1,
            )
            for question_id, points in result.per_question.items()
        ]
    )
    AnswerChoice.objects.bulk_create(
        [
            AnswerChoice(answer=answer, option_id=option_id, position=position)
            for answer in marked
            for position, option_id in enumerate(given.get(answer.question_id, []), start=1)
        ]
    )
    attempt_marked.send(sender=Attempt, attempt=attempt)
    course_path = progress_summary.parent_path(assessment)
    # The learner's figures on the course are refreshed by learner and course, without
    # reading the enrolment, unless this pass may complete the course.
    if attempt.passed and assessment.is_required:
        enrolment = Enrolment.objects.filter(user=user, course__path=course_path).first()
        if enrolment:
            progress_summary.refresh_one(course_path, pk=enrolment.pk)
            update_completion(enrolment)
    else:
        progress_summary.refresh_one(course_path, user_id=attempt.user_id)
    return attempt


def finalise_if_expired(attempt, now=None):
    now = now or timezone.now()
    if not attempt.is_submitted and is_expired(attempt, now):
        marked = submit_attempt(attempt.pk, attempt.user_id, answers=None, now=now)
        # Marking read only part of the assessment; the caller may have it whole.
        if Attempt.assessment.is_cached(attempt):
            marked.assessment = attempt.assessment
        return marked
    return attempt


# Review -----------------------------------------------------------------------


def review_allowed(policy, has_passed, attempts_left):
    """Whether a learner may see the correct answers, their marks per question, the
    feedback and the explanations of their submitted attempts. The one rule for the
    result page, the assessment page and the learner's data download."""
    if policy in (FeedbackPolicy.AFTER_EACH_ANSWER, FeedbackPolicy.AFTER_SUBMISSION):
        return True
    return has_passed or attempts_left == 0


def reveals_while_answering(policy):
    """Practice: each answer, once saved, is shown with its key and explanation."""
    return policy == FeedbackPolicy.AFTER_EACH_ANSWER


def when_feedback_comes(assessment):
    """What the assessment's introduction tells the learner about when they see the
    correct answers, following review_allowed and reveals_while_answering (a paged
    attempt saves page by page and reveals nothing before it is submitted)."""
    policy = assessment.feedback
    if reveals_while_answering(policy) and not assessment.is_paged:
        return _(
            "You see the correct answer and an explanation for each question when you save "
            "your answer. A saved answer can then no longer be changed."
        )
    if policy in (FeedbackPolicy.AFTER_EACH_ANSWER, FeedbackPolicy.AFTER_SUBMISSION):
        return _("You see the correct answers and explanations after you submit each attempt.")
    if assessment.max_attempts:
        return _(
            "You see the correct answers and explanations once you pass, or when you have no "
            "attempts left. Until then you see your score and the topics to revisit."
        )
    return _(
        "You see the correct answers and explanations once you pass. Until then you see "
        "your score and the topics to revisit."
    )


def unanswered_items(items):
    """The questions of paper_items the learner has not answered."""
    return [item for item in items if not item["answered"]]


def keep_revealed(saved, answers):
    """Under practice feedback an answer whose key has been shown stays as it was saved."""
    return {**answers, **saved}


def outcomes_to_revisit(attempt):
    """The topics (question categories, in the current language) of the questions the
    attempt did not get fully right, with how many of them each, without saying which."""
    missed = {}
    for category_id, key in AttemptAnswer.objects.filter(
        attempt=attempt, is_correct=False
    ).values_list("question__category_id", "question__category__translation_key"):
        missed.setdefault((category_id, key), 0)
        missed[(category_id, key)] += 1
    if not missed:
        return []
    names = dict(
        QuestionCategory.objects.filter(pk__in=[pk for pk, _key in missed]).values_list(
            "translation_key", "name"
        )
    )
    language = translation.get_language()
    if language and language != settings.LANGUAGE_CODE:
        names.update(
            QuestionCategory.objects.filter(
                translation_key__in=[key for _pk, key in missed], locale__language_code=language
            ).values_list("translation_key", "name")
        )
    return sorted(
        ({"name": names[key], "missed": count} for (_pk, key), count in missed.items()),
        key=lambda outcome: (-outcome["missed"], outcome["name"]),
    )


def paper_questions(attempt):
    """The attempt's questions with their options and scenarios, in a fixed number of
    queries, showing the words frozen in the paper when the attempt started, in the
    current language where it has them. Attempts started before papers held their
    words read them from the questions: in another language, each question shows its
    translation where there is one; the options keep the original ids (so answers and
    scores do not change) and take their text from the translation's option in the same
    place."""
    ids = [item["question"] for item in attempt.paper]
    questions = {
        question.pk: question
        for question in Question.objects.filter(pk__in=ids)
        .select_related("scenario")
        .prefetch_related("options")
    }
    language = translation.get_language()
    frozen = {item["question"]: item["text"] for item in attempt.paper if item.get("text")}
    unfrozen = {pk: question for pk, question in questions.items() if pk not in frozen}
    if unfrozen and language and language != settings.LANGUAGE_CODE:
        localise(unfrozen, language)
    for pk, words in frozen.items():
        if pk in questions:
            show_frozen(questions[pk], words, language)
    return questions


def show_frozen(question, words, language):
    """Put the words the paper froze onto the question, in `language` if it has them."""
    text = words.get(language) or words.get(settings.LANGUAGE_CODE) or next(iter(words.values()))
    question.prompt = text["prompt"]
    question.explanation = text["explanation"]
    question.source_reference = text["source"]
    for option in question.options.all():
        option.text, option.feedback = text["options"].get(
            str(option.pk), [option.text, option.feedback]
        )
    if text["scenario"] and question.scenario_id:
        question.scenario.title, question.scenario.stem = text["scenario"]


def localise(questions, language):
    translated = {
        question.translation_key: question
        for question in Question.objects.filter(
            translation_key__in=[q.translation_key for q in questions.values()],
            locale__language_code=language,
        )
        .select_related("scenario")
        .prefetch_related("options")
    }
    for question in questions.values():
        other = translated.get(question.translation_key)
        if other is None:
            continue
        originals = list(question.options.all())
        texts = list(other.options.all())
        if len(texts) != len(originals):
            continue  # a translation out of step with its source is not shown
        question.prompt = other.prompt
        question.explanation = other.explanation
        question.source_reference = other.source_reference
        for original_option, text_option in zip(originals, texts, strict=True):
            original_option.text = text_option.text
            original_option.feedback = text_option.feedback
        if question.scenario_id and other.scenario_id:
            question.scenario = other.scenario


def frozen_option(item, option_id):
    """An option the question no longer has, as the paper froze it (if it did)."""
    words = item.get("text")
    if not words:
        return None
    text = words.get(translation.get_language()) or words.get(settings.LANGUAGE_CODE) or {}
    frozen = text.get("options", {}).get(str(option_id))
    if frozen is None:
        return None
    return QuestionOption(pk=option_id, text=frozen[0], feedback=frozen[1])


def paper_items(
    attempt,
    questions,
    reveal_answers=False,
    reveal_correct=False,
    reveal_feedback=False,
    reveal_answered=False,
    shown_answers=None,
):
    """What to show for each question: options in the attempt's order, plus what review
    allows; with `reveal_answered` (practice), everything about each question already
    answered, which can then no longer be changed. `shown_answers` are the answers whose
    keys have been shown when they differ from the attempt's (answers posted but not
    saved are not revealed)."""
    keys = attempt.keys
    shown_answers = attempt.answers if shown_answers is None else shown_answers
    items = []
    previous_scenario = None
    for number, item in enumerate(attempt.paper, start=1):
        question = questions.get(item["question"])
        if question is None:
            continue
        options = {option.pk: option for option in question.options.all()}
        chosen = attempt.answers.get(str(question.pk), [])
        key = keys[str(question.pk)]
        revealed = reveal_answered and bool(shown_answers.get(str(question.pk)))
        show_correct = reveal_correct or revealed
        show_feedback = reveal_feedback or revealed
        shown = []
        for option_id in item["options"]:
            option = options.get(option_id) or frozen_option(item, option_id)
            if option is None:
                continue
            shown.append(
                {
                    "id": option.pk,
                    "text": option.text,
                    "chosen": option.pk in chosen,
                    "position": chosen.index(option.pk) + 1 if option.pk in chosen else None,
                    "correct": (option.pk in key["correct"]) if show_correct else None,
                    "correct_position": (
                        key["options"].index(option.pk) + 1
                        if show_correct and option.pk in key["options"]
                        else None
                    ),
                    "feedback": option.feedback if show_feedback and option.pk in chosen else "",
                }
            )
        scenario = question.scenario if item["scenario"] else None
        items.append(
            {
                "number": number,
                "question": question,
                "kind": key["kind"],
                "options": shown,
                "scenario": scenario if scenario and scenario.pk != previous_scenario else None,
                "answered": bool(chosen),
                "show_answers": reveal_answers or revealed,
                "revealed": revealed,
                "explanation": question.explanation if show_feedback else "",
                "source": question.source_reference if show_feedback else "",
            }
        )
        previous_scenario = scenario.pk if scenario else None
    return items


def assessment_overview(assessment, user):
    assessment = original(assessment)
    feedback_note = when_feedback_comes(assessment)
    if not user.is_authenticated:
        return {"state": None, "enrolled": False, "feedback_note": feedback_note}
    enrolled = Enrolment.objects.filter(user=user, course_id=assessment.get_parent().pk).exists()
    return {
        "state": attempt_state(user, assessment),
        "enrolled": enrolled,
        "feedback_note": feedback_note,
    }
