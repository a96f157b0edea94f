from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.page_context import provided_context
from core.rate_limits import rate_limit
from core.strict_parsing import ascii_int
from learning.progress import original
from learning.views import published_page
from quizzes.models import AssessmentPage, Attempt

from .attempt_pages import page_part, parse_page_answers, resume_page, save_page_answers
from .attempts import (
    ATTEMPT_FIELDS,
    AttemptRefused,
    UnansweredQuestions,
    attempt_state,
    finalise_if_expired,
    is_expired,
    outcomes_to_revisit,
    paper_items,
    paper_questions,
    parse_answers,
    reveals_while_answering,
    review_allowed,
    save_answers,
    seconds_left,
    start_attempt,
    submit_attempt,
    unanswered_items,
)
from .next_steps import completed_course_context

# The value of the button that submits an attempt with questions left unanswered, once
# the learner has been shown which ones.
SUBMIT_ANYWAY = "anyway"


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
    if assessment.is_paged:
        return redirect("learning:attempt_page", attempt_id=attempt.pk, number=1)
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
    if attempt.assessment.is_paged:
        # A paged attempt carries on at its first page with a question not yet answered.
        number = resume_page(attempt)
        if number is None:
            return redirect("learning:check_answers", attempt_id=attempt.pk)
        return redirect("learning:attempt_page", attempt_id=attempt.pk, number=number)
    return render_attempt_form(request, attempt)


def render_attempt_form(request, attempt, shown_answers=None, confirm_unanswered=False):
    """The one-page attempt form. With `confirm_unanswered`, the questions still
    unanswered are listed at its top, each linked to its question, and its submit button
    asks to submit anyway."""
    items = paper_items(
        attempt,
        paper_questions(attempt),
        reveal_answered=reveals_while_answering(attempt.assessment.feedback),
        shown_answers=shown_answers,
    )
    return render(
        request,
        "learning/attempt.html",
        {
            "attempt": attempt,
            "assessment": attempt.assessment,
            "items": items,
            "unanswered": unanswered_items(items) if confirm_unanswered else [],
            "submit_anyway": SUBMIT_ANYWAY,
            "seconds_left": seconds_left(attempt),
        },
    )


def confirm_unanswered(request, attempt_id, answers):
    """Before marking a one-page attempt with questions left unanswered, show the learner
    which ones and ask them to confirm.

    The answers given are kept: saved, except under practice feedback, where saving
    would show their keys (they stay in the form, and are marked when it is sent again).
    """
    attempt = own_attempt(request, attempt_id)
    saved = attempt.answers
    practice = reveals_while_answering(attempt.assessment.feedback)
    if not practice:
        try:
            save_answers(attempt, answers)
        except AttemptRefused:
            # Submitted in another tab, or out of time, since: the form shows which.
            return redirect("learning:attempt", attempt_id=attempt.pk)
    attempt.answers = answers
    return render_attempt_form(
        request, attempt, shown_answers=saved if practice else None, confirm_unanswered=True
    )


@login_required
@require_POST
@rate_limit("quiz_answers", per="user", methods=("POST",))
def autosave(request, attempt_id):
    """Keep the answers so far, sent by the attempt page's script as the learner answers.

    Answers JSON: when they were saved and how long is left (the page's countdown follows
    the server's clock), or an error the page shows: 400 for answers that do not fit the
    paper (nothing is saved), 409 once the attempt is submitted or its time is up.
    """
    now = timezone.now()
    try:
        attempt = own_attempt(request, attempt_id, with_assessment=False)
    except Http404:
        return JsonResponse({"error": _("This attempt could not be found.")}, status=404)
    if not attempt.is_submitted and is_expired(attempt, now):
        # Marked now on the answers saved in time, as the attempt page would.
        finalise_if_expired(attempt, now)
        return autosave_refused(
            attempt, _("Time is up. Answers saved before the time limit will be marked.")
        )
    if attempt.is_submitted:
        return autosave_refused(attempt, _("This attempt has already been submitted."))
    # A paged form holds one page's questions: its answers join those saved for the
    # other pages rather than replacing them.
    part = None
    if "page" in request.GET:
        number = ascii_int(request.GET["page"])
        part = page_part(attempt, number) if number else None
        if part is None:
            return JsonResponse({"error": _("This attempt has no such page.")}, status=404)
    try:
        if part is None:
            answers = parse_answers(attempt, request.POST)
        else:
            parse_page_answers(part, request.POST)
    except AttemptRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    try:
        if part is None:
            save_answers(attempt, answers, now=now)
        else:
            save_page_answers(attempt, part, request.POST, now=now)
    except AttemptRefused as refusal:
        # Submitted in another tab, or the time ran out, since the attempt was read.
        return autosave_refused(attempt, str(refusal))
    return JsonResponse({"saved_at": now.isoformat(), "seconds_left": seconds_left(attempt, now)})


def autosave_refused(attempt, message):
    return JsonResponse(
        {
            "error": message,
            "result_url": reverse("learning:result", kwargs={"attempt_id": attempt.pk}),
        },
        status=409,
    )


def submit_posted_answers(request, attempt_id):
    """Mark the learner's attempt on the answers posted with it (for attempt_view, which
    has checked the sign-in and the rate limit). The attempt is read once, locked, by
    submit_attempt, which also marks an attempt whose time ran out on the answers saved
    in time; an attempt already marked goes to its result."""
    try:
        attempt = submit_attempt(
            attempt_id,
            request.user,
            form=request.POST,
            confirm_unanswered=request.POST["submit"] != SUBMIT_ANYWAY,
        )
    except UnansweredQuestions as unanswered:
        return confirm_unanswered(request, attempt_id, unanswered.answers)
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
    course = assessment.get_parent().specific
    return render(
        request,
        "learning/result.html",
        {
            **(course_complete_context(request, course) if attempt.passed else {}),
            "attempt": attempt,
            "assessment": assessment,
            "course": course,
            "state": state,
            "items": items,
            "review_allowed": allowed,
            "outcomes": outcomes_to_revisit(attempt),
            "course_url": reverse("learning:my_learning"),
        },
    )


def course_complete_context(request, course):
    """The completion panel's links, once passing completed the course: the certificate
    (from the certificates app, core.page_context) and the course to take next."""
    context = completed_course_context(request.user, course)
    if context:
        context.update(provided_context("learning.result", request, course=course))
    return context
