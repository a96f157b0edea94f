"""Each learner's own due date on an assignment.

A cohort's assignment is due on one date, but someone who joins the cohort after that
date (and after it was assigned) cannot have met it: they get a due date of their own,
as the trainer chose when assigning. Either the time everyone else had, counted from the
day they joined (the default), or a later date the trainer set. Nobody is overdue
before their own date.

The personal date follows from when the learner joined, so nothing is stored per
learner: queries test the joining time against dates worked out here, in Python, for
each assignment (no date arithmetic in SQL, which the databases do differently).
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from .models import Assignment

NOBODY = Q(pk__in=[])
EVERYONE = ~NOBODY


def start_of(day):
    """Midnight at the start of a day, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def late_from(assignment):
    """From when someone joining the cohort is a late joiner: after the due date, and
    after the course was assigned (those already there when it was set were given the
    time it allowed)."""
    after_due = start_of(assignment.due_date + datetime.timedelta(days=1))
    return max(after_due, assignment.created_at) if assignment.created_at else after_due


def is_late_joiner(assignment, joined_at):
    return (
        assignment.cohort_id is not None
        and joined_at is not None
        and joined_at >= late_from(assignment)
    )


def due_date_for(assignment, joined_at=None):
    """The date this learner must complete the assignment by (joined_at: when they
    joined its cohort; None for a learner assigned the course directly)."""
    if not is_late_joiner(assignment, joined_at):
        return assignment.due_date
    if assignment.late_joiners == Assignment.LateJoiners.DATE and assignment.late_due_date:
        return assignment.late_due_date
    return timezone.localdate(joined_at) + assignment.window


def joined_late(assignment, joined="added_at"):
    """Rows whose joining time (the field `joined`) makes them late joiners."""
    return Q(**{f"{joined}__gte": late_from(assignment)})


def joined_late_any(assignments, joined="added_at", assignment_field="assignment"):
    """Rows of late joiners, for rows that each belong to one of several assignments."""
    rows = NOBODY
    for assignment in assignments:
        if assignment.cohort_id is not None:
            rows |= Q(**{assignment_field: assignment.pk}) & joined_late(assignment, joined)
    return rows


def past_due(assignment, today, joined="added_at"):
    """Rows of the assignment's learners whose own due date has passed (joined: the
    field holding when each joined its cohort).

    Late joiners' dates all fall after the assignment's, so before that date nobody is
    past due.
    """
    if assignment.due_date >= today:
        return NOBODY
    if assignment.cohort_id is None:
        return EVERYONE
    late = joined_late(assignment, joined)
    if assignment.late_joiners == Assignment.LateJoiners.DATE and assignment.late_due_date:
        late_and_past = late if assignment.late_due_date < today else NOBODY
    else:
        # Joined on day J and due on J + window: past once J + window < today.
        late_and_past = late & Q(**{f"{joined}__lt": start_of(today - assignment.window)})
    return ~late | late_and_past


def past_due_any(assignments, today, joined="added_at", assignment_field="assignment"):
    """past_due() for rows that each belong to one of several assignments (the field
    `assignment_field` holding its id)."""
    rows = NOBODY
    for assignment in assignments:
        rows |= Q(**{f"{assignment_field}": assignment.pk}) & past_due(assignment, today, joined)
    return rows
