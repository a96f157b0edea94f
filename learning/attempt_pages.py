"""Paged attempts: which questions each page shows, saving one page's answers into the
answers saved so far, and what the check-your-answers page lists.

A page holds one question, or every question of a scenario (they share its story). Pages
follow the attempt's frozen paper, so they never change while the attempt is open.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from learning.attempts import AttemptRefused, paper_items, parse_answers, save_answers
from quizzes import scoring
from quizzes.models import Attempt

# The names answer fields have (`q<question id>` and `q<question id>-<option id>`);
# other fields of the form (the token, the buttons) are not answers.
ANSWER_FIELD = re.compile(r"q\d")


@dataclass(frozen=True)
class PaperPart:
    """The questions of one page. It reads like its attempt where parse_answers,
    paper_questions and paper_items read one (its paper, keys and answers)."""

    number: int
    paper: list
    keys: dict
    answers: dict
    first_question: int
    total_questions: int
    total_pages: int

    @property
    def last_question(self):
        return self.first_question + len(self.paper) - 1

    @property
    def question_ids(self):
        return {item["question"] for item in self.paper}


def page_ranges(paper):
    """For each page, the indexes of its questions in the paper."""
    pages = []
    for index, item in enumerate(paper):
        scenario = item.get("scenario")
        if pages and scenario is not None and paper[pages[-1][-1]].get("scenario") == scenario:
            pages[-1].append(index)
        else:
            pages.append([index])
    return pages


def page_count(attempt):
    return len(page_ranges(attempt.paper))


def page_part(attempt, number):
    """Page `number` (from 1) of the attempt, or None when it has no such page."""
    pages = page_ranges(attempt.paper)
    if not 1 <= number <= len(pages):
        return None
    indexes = pages[number - 1]
    return PaperPart(
        number=number,
        paper=[attempt.paper[index] for index in indexes],
        keys=attempt.keys,
        answers=attempt.answers,
        first_question=indexes[0] + 1,
        total_questions=len(attempt.paper),
        total_pages=len(pages),
    )


def page_of_question(attempt):
    """The page number each question id is on."""
    return {
        attempt.paper[index]["question"]: number
        for number, indexes in enumerate(page_ranges(attempt.paper), start=1)
        for index in indexes
    }


def resume_page(attempt):
    """The first page with a question not answered yet, or None when all are answered."""
    for number, indexes in enumerate(page_ranges(attempt.paper), start=1):
        if any(str(attempt.paper[index]["question"]) not in attempt.answers for index in indexes):
            return number
    return None


def unanswered_count(attempt):
    """How many of the paper's questions have no saved answer."""
    return sum(str(item["question"]) not in attempt.answers for item in attempt.paper)


def answer_fields(part):
    """The names of the answer fields the page's form may send."""
    names = set()
    for item in part.paper:
        name = f"q{item['question']}"
        if part.keys[str(item["question"])]["kind"] == scoring.ORDERING:
            names.update(f"{name}-{option_id}" for option_id in item["options"])
        else:
            names.add(name)
    return names


def parse_page_answers(part, data):
    """The answers to this page's questions, read as parse_answers reads a whole paper.

    A form that sends an answer to a question on another page (or to none of the paper's)
    is refused whole: a page's form only ever holds its own questions.
    """
    allowed = answer_fields(part)
    if any(ANSWER_FIELD.match(name) and name not in allowed for name in data):
        raise AttemptRefused(
            _(
                "The answers sent were for questions that are not on this page, so nothing "
                "was saved. Answer the questions on this page and try again."
            )
        )
    return parse_answers(part, data)


def merged_answers(saved, part, page_answers):
    """The saved answers with this page's questions answered as on the page: a question of
    the page left unanswered (every box unticked) loses its answer; others keep theirs."""
    on_page = {str(question_id) for question_id in part.question_ids}
    merged = {key: value for key, value in saved.items() if key not in on_page}
    merged.update(page_answers)
    return merged


@transaction.atomic
def save_page_answers(attempt, part, data, now=None):
    """Save the page's answers into the answers saved so far; AttemptRefused, with
    nothing saved, for anything that does not fit or once the attempt is over."""
    page_answers = parse_page_answers(part, data)
    # Read again under a lock, so that two tabs saving different pages keep both.
    saved = (
        Attempt.objects.select_for_update()
        .filter(pk=attempt.pk)
        .values_list("answers", flat=True)
        .first()
    )
    answers = merged_answers(saved or {}, part, page_answers)
    save_answers(attempt, answers, now)
    attempt.answers = answers
    return answers


def page_items(part, questions):
    """paper_items for the page's questions, numbered as in the whole paper."""
    items = paper_items(part, questions)
    for item in items:
        item["number"] += part.first_question - 1
    return items


def check_items(attempt, questions):
    """Each question with the learner's answer in words, and the page to change it on."""
    pages = page_of_question(attempt)
    items = paper_items(attempt, questions)
    for item in items:
        item["page"] = pages[item["question"].pk]
        chosen = [option for option in item["options"] if option["chosen"]]
        if item["kind"] == scoring.ORDERING:
            chosen.sort(key=lambda option: option["position"])
        item["answer"] = [option["text"] for option in chosen]
    return items
