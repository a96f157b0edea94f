import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import AssessmentPage
from .statistics import assessment_statistics


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
