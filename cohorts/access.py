"""Who may see what: trainers see only their own organisations' cohorts and learners."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Membership, Organisation, User
from accounts.roles import roles_for

from .models import Cohort


def trainer_organisations(user):
    """The organisations a trainer works for; anyone else is refused with a 403."""
    if not user.is_authenticated or not roles_for(user).is_trainer:
        raise PermissionDenied
    return Organisation.objects.filter(memberships__user=user)


def cohorts_for(user):
    return Cohort.objects.filter(organisation__in=trainer_organisations(user))


def cohort_for(user, cohort_id):
    cohort = cohorts_for(user).select_related("organisation").filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    return cohort


def learner_for(user, learner_id):
    """A learner in one of the trainer's organisations, or 404."""
    learner = (
        User.objects.filter(
            pk=learner_id, memberships__organisation__in=trainer_organisations(user)
        )
        .distinct()
        .first()
    )
    if learner is None:
        raise Http404
    return learner


def membership_for(user, learner_id):
    """A learner's membership of (the first of) the trainer's organisations, with the
    learner and organisation, or 404: learner_for() and their staff number in one query."""
    membership = (
        Membership.objects.filter(user_id=learner_id, organisation__in=trainer_organisations(user))
        .select_related("user", "organisation")
        .order_by("organisation__name", "pk")
        .first()
    )
    if membership is None:
        raise Http404
    return membership
