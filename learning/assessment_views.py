from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.rate_limits import rate_limit
from learning.progress import original
from learning.views import published_page
from quizzes.models import AssessmentPage, Attempt

from .attempts import (
    ATTEMPT_FIELDS,
    AttemptRefused,
    attempt_state,
    finalise_if_expired,
    outcomes_to_revisit,
    paper_items,
    paper_questions,
    parse_answers,
    reveals_while_answering,
    review_allowed,
    save_answers,
    start_attempt,
    submit_attempt,
)


def own_attempt(request, attempt_id, with_assessment=True):
    """Only the learner who started an attempt can see or change it; others get 404.

    Answers are checked against the attempt's own paper, so saving and submitting do
    without the assessment page, which costs more to read than the attempt: of it they
    read only its feedback policy, in the same query.
    """
    attempts = Attempt.objects.filter(pk=attempt_id, user=request.user).select_related("assessment")
    if not with_assessment:
        # Saving needs only whether answers already shown with their keys are kept.
        attempts = attempts.only(*ATTEMPT_FIELDS, "assessment__feedback")
    attempt = attempts.first()
    if attempt is None:
        raise Http404
    return attempt


@login_required
@require_POST
def start(request, page_id):
    # Attempts belong to the original-language assessment, whatever language is read.
    assessment = original(published_page(AssessmentPage, page_id))
    try:
        attempt = start_attempt(request.user, assessment)
    except AttemptRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(assessment.url)
    return redirect("learning:attempt", attempt_id=attempt.pk)


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("quiz_answers", per="user", methods=("POST",))
def attempt_view(request, attempt_id):
    posted = request.method == "POST"
    if posted and "submit" in request.POST:
        return submit_posted_answers(request, attempt_id)
    attempt = finalise_if_expired(own_attempt(request, attempt_id, with_assessment=not posted))
    if attempt.is_submitted:
        return redirect("learning:result", attempt_id=attempt.pk)
    if posted:
        try:
            save_answers(attempt, parse_answers(attempt, request.POST))
        except AttemptRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Your answers are saved."))
        return redirect("learning:attempt", attempt_id=attempt.pk)
    questions = paper_questions(attempt)
    return render(
        request,
        "learning/attempt.html",
        {
            "attempt": attempt,
            "assessment": attempt.assessment,
            "items": paper_items(
                attempt,
                questions,
                reveal_answered=reveals_while_answering(attempt.assessment.feedback),
            ),
            "seconds_left": (
                max(0, int((attempt.deadline - timezone.now()).total_seconds()))
                if attempt.deadline
                else None
            ),
        },
    )


def submit_posted_answers(request, attempt_id):
    """Mark the learner's attempt on the answers posted with it (for attempt_view, which
    has checked the sign-in and the rate limit). The attempt is read once, locked, by
    submit_attempt, which also marks an attempt whose time ran out on the answers saved
    in time; an attempt already marked goes to its result."""
    try:
        attempt = submit_attempt(attempt_id, request.user, form=request.POST)
    except Attempt.DoesNotExist:
        raise Http404 from None
    except AttemptRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("learning:attempt", attempt_id=attempt_id)
    return redirect("learning:result", attempt_id=attempt.pk)


@login_required
@require_http_methods(["GET"])
def result(request, attempt_id):
    attempt = finalise_if_expired(own_attempt(request, attempt_id))
    if not attempt.is_submitted:
        return redirect("learning:attempt", attempt_id=attempt.pk)
    assessment = attempt.assessment
    state = attempt_state(request.user, assessment)
    allowed = review_allowed(assessment.feedback, state.has_passed, state.attempts_left)
    items = []
    if allowed:
        items = paper_items(
            attempt,
            paper_questions(attempt),
            reveal_answers=True,
            reveal_correct=True,
            reveal_feedback=True,
        )
    return render(
        request,
        "learning/result.html",
        {
            "attempt": attempt,
            "assessment": assessment,
            "course": assessment.get_parent(),
            "state": state,
            "items": items,
            "review_allowed": allowed,
            "outcomes": outcomes_to_revisit(attempt),
            "course_url": reverse("learning:my_learning"),
        },
    )
