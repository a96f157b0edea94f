import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import item_checks, scoring
from .models import AssessmentPage, Question
from .question_access import QuestionPermissionPolicy, questions_for
from .statistics import assessment_statistics

BANK_ACTIONS = ["add", "change", "delete", "publish", "view"]


def editable_assessment(request, page_id):
    """Statistics are for people who may edit the assessment."""
    assessment = get_object_or_404(AssessmentPage, pk=page_id)
    if not assessment.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return assessment


def statistics(request, page_id):
    assessment = editable_assessment(request, page_id)
    return TemplateResponse(
        request,
        "quizzes/admin/statistics.html",
        {"assessment": assessment, "stats": assessment_statistics(assessment)},
    )


def statistics_csv(request, page_id):
    assessment = editable_assessment(request, page_id)
    stats = assessment_statistics(assessment)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{slugify(assessment.title)}-{assessment.pk}-statistics.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([_("Attempts"), _("Learners"), _("Pass rate (%)"), _("Mean score (%)")])
    writer.writerow(
        [stats["attempts"], stats["learners"], stats["pass_rate"], stats["mean_percent"]]
    )
    writer.writerow([])
    writer.writerow(
        [
            _("Question"),
            _("Option"),
            _("Correct option"),
            _("Times chosen"),
            _("Chosen (%)"),
            _("Answered correctly (%)"),
        ]
    )
    for row in stats["questions"]:
        for option in row["options"]:
            writer.writerow(
                [
                    safe_cell(row["question"].prompt),
                    safe_cell(option["text"]),
                    _("yes") if option["is_correct"] else _("no"),
                    option["times"],
                    option["share"],
                    row["correct_share"],
                ]
            )
    return response


def safe_cell(text):
    """Stop spreadsheet programs treating editor text as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def item_report_rows(user):
    """Per category of the questions the user may see: the item-writing checks it fails.

    One row per category (each language's category is its own row), in name order, with
    the single-choice questions whose correct option is the longest by a clear margin,
    those using "all/none of the above", and the balance of its true/false keys.
    """
    questions = questions_for(
        user,
        Question.objects.select_related("category", "category__locale").prefetch_related("options"),
    ).order_by("category__name", "category__locale__language_code", "pk")
    rows = {}
    for question in questions:
        row = rows.setdefault(
            question.category_id,
            {
                "category": question.category,
                "single": 0,
                "longest": [],
                "above": [],
                "true_false": [],
            },
        )
        options = [(option.text, option.is_correct) for option in question.options.all()]
        flags = item_checks.question_flags(question.kind, options)
        if question.kind == scoring.SINGLE:
            row["single"] += 1
        if item_checks.LONGEST_CORRECT in flags:
            row["longest"].append(question)
        if item_checks.ALL_OR_NONE_ABOVE in flags:
            row["above"].append(question)
        if question.kind == scoring.TRUE_FALSE:
            row["true_false"].append(item_checks.keyed_true(options))
    for row in rows.values():
        true_count, total, lopsided = item_checks.true_false_balance(row.pop("true_false"))
        row.update(true_count=true_count, true_false=total, lopsided=lopsided)
    return list(rows.values())


def item_report(request):
    """The question bank's item-writing checks, for anyone who works on the bank; an NGO
    editor sees only the questions of their own courses (questions_for)."""
    if not QuestionPermissionPolicy(Question).user_has_any_permission(request.user, BANK_ACTIONS):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "quizzes/admin/item_report.html",
        {
            "rows": item_report_rows(request.user),
            "min_ratio_percent": round((item_checks.LONGEST_MIN_RATIO - 1) * 100),
            "min_characters": item_checks.LONGEST_MIN_CHARACTERS,
            "low": round(item_checks.TRUE_SHARE_LOW * 100),
            "high": round(item_checks.TRUE_SHARE_HIGH * 100),
            "min_items": item_checks.TRUE_FALSE_MIN_ITEMS,
        },
    )
