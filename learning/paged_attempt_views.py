"""The learner's pages of a paged attempt: one question (or one scenario) per page, then
a page to check the answers and submit them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core.rate_limits import rate_limit
from quizzes.models import Attempt

from .assessment_views import own_attempt
from .attempt_pages import (
    check_items,
    page_items,
    page_part,
    save_page_answers,
    unanswered_count,
)
from .attempts import (
    AttemptRefused,
    finalise_if_expired,
    paper_questions,
    submit_attempt,
    unanswered_items,
)


def page_heading(part):
    if part.first_question == part.last_question:
        return _("Question %(number)s of %(total)s") % {
            "number": part.first_question,
            "total": part.total_questions,
        }
    return _("Questions %(first)s to %(last)s of %(total)s") % {
        "first": part.first_question,
        "last": part.last_question,
        "total": part.total_questions,
    }


def seconds_left(attempt):
    """For the countdown of a timed attempt, as the one-page form has it."""
    if not attempt.deadline:
        return None
    return max(0, int((attempt.deadline - timezone.now()).total_seconds()))


def open_paged_attempt(request, attempt_id):
    """The learner's own open attempt, or where to go instead: the result once it is
    marked (an attempt whose time ran out is marked on the answers saved in time), the
    one-page form when its assessment is not paged."""
    attempt = finalise_if_expired(own_attempt(request, attempt_id))
    if attempt.is_submitted:
        return attempt, redirect("learning:result", attempt_id=attempt.pk)
    if not attempt.assessment.is_paged:
        return attempt, redirect("learning:attempt", attempt_id=attempt.pk)
    return attempt, None


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("quiz_answers", per="user", methods=("POST",))
def attempt_page(request, attempt_id, number):
    attempt, elsewhere = open_paged_attempt(request, attempt_id)
    if elsewhere:
        return elsewhere
    part = page_part(attempt, number)
    if part is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            save_page_answers(attempt, part, request.POST)
        except AttemptRefused as refusal:
            error = str(refusal)
        else:
            if "back" in request.POST and number > 1:
                return redirect("learning:attempt_page", attempt_id=attempt.pk, number=number - 1)
            if "continue" in request.POST:
                if number < part.total_pages:
                    return redirect(
                        "learning:attempt_page", attempt_id=attempt.pk, number=number + 1
                    )
                return redirect("learning:check_answers", attempt_id=attempt.pk)
            messages.success(request, _("Your answers are saved."))
            return redirect("learning:attempt_page", attempt_id=attempt.pk, number=number)
    return render(
        request,
        "learning/attempt_page.html",
        {
            "attempt": attempt,
            "assessment": attempt.assessment,
            "part": part,
            "heading": page_heading(part),
            "items": page_items(part, paper_questions(part)),
            "error": error,
            "seconds_left": seconds_left(attempt),
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@rate_limit("quiz_answers", per="user", methods=("POST",))
def check_answers(request, attempt_id):
    if request.method == "POST":
        attempt, elsewhere = open_paged_attempt(request, attempt_id)
        if elsewhere:
            return elsewhere
        if unanswered_count(attempt) and request.POST.get("submit") != str(
            unanswered_count(attempt)
        ):
            # The learner confirmed other unanswered questions than there are now (the
            # page was out of date, or sent by hand): show them which, and ask again.
            messages.error(request, _("Check which questions are not answered, then submit again."))
            return redirect("learning:check_answers", attempt_id=attempt.pk)
        # Marked on the answers saved page by page; the attempt is read once, locked.
        try:
            attempt = submit_attempt(attempt_id, request.user)
        except Attempt.DoesNotExist:
            raise Http404 from None
        return redirect("learning:result", attempt_id=attempt.pk)
    attempt, elsewhere = open_paged_attempt(request, attempt_id)
    if elsewhere:
        return elsewhere
    items = check_items(attempt, paper_questions(attempt))
    unanswered = unanswered_items(items)
    if unanswered:
        submit_label = ngettext(
            "Submit for marking with %(count)s question unanswered",
            "Submit for marking with %(count)s questions unanswered",
            len(unanswered),
        ) % {"count": len(unanswered)}
    else:
        submit_label = _("Submit for marking")
    return render(
        request,
        "learning/check_answers.html",
        {
            "attempt": attempt,
            "assessment": attempt.assessment,
            "items": items,
            "unanswered": unanswered,
            "submit_label": submit_label,
            "unanswered_count": unanswered_count(attempt),
            "last_page": max((item["page"] for item in items), default=1),
            "seconds_left": seconds_left(attempt),
        },
    )
