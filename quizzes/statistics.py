"""Assessment statistics for editors, computed with aggregate queries."""

from django.db.models import Avg, Count, Q

from .models import AnswerChoice, Attempt, AttemptAnswer, Question


def assessment_statistics(assessment):
    submitted = Attempt.objects.filter(assessment=assessment, submitted_at__isnull=False)
    totals = submitted.aggregate(
        attempts=Count("pk"),
        passes=Count("pk", filter=Q(passed=True)),
        learners=Count("user", distinct=True),
        mean_percent=Avg("percent"),
    )
    answered = {
        row["question"]: row
        for row in AttemptAnswer.objects.filter(attempt__in=submitted)
        .values("question")
        .annotate(answers=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
    }
    chosen = dict(
        AnswerChoice.objects.filter(answer__attempt__in=submitted)
        .values("option")
        .annotate(times=Count("pk"))
        .values_list("option", "times")
    )
    questions = Question.objects.filter(pk__in=answered).prefetch_related("options")
    rows = []
    for question in questions:
        counts = answered[question.pk]
        options = [
            {
                "text": option.text,
                "is_correct": option.is_correct,
                "times": chosen.get(option.pk, 0),
                "share": share(chosen.get(option.pk, 0), counts["answers"]),
            }
            for option in question.options.all()
        ]
        rows.append(
            {
                "question": question,
                "answers": counts["answers"],
                "correct": counts["correct"],
                "correct_share": share(counts["correct"], counts["answers"]),
                "options": options,
            }
        )
    rows.sort(key=lambda row: row["correct_share"])
    return {
        "attempts": totals["attempts"],
        "learners": totals["learners"],
        "pass_rate": share(totals["passes"], totals["attempts"]),
        "mean_percent": round(totals["mean_percent"] or 0, 1),
        "questions": rows,
    }


def share(part, whole):
    return round(100 * part / whole, 1) if whole else 0
