"""Keeping the dashboard figures (progress_summary) true when courses and enrolments change."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses.models import Enrolment, LessonPage
from quizzes.models import AssessmentPage

from .progress_summary import figures_changed, parent_path
from .tasks import refresh_course_figures


@receiver(post_save, sender=Enrolment, dispatch_uid="figures-version-saved")
@receiver(post_delete, sender=Enrolment, dispatch_uid="figures-version-deleted")
def enrolment_saved_or_deleted(sender, instance, **kwargs):
    # Enrolling (and leaving, when an account is deleted) changes who is counted.
    figures_changed(instance.course.path)


@receiver(page_published, dispatch_uid="progress-figures-published")
@receiver(page_unpublished, dispatch_uid="progress-figures-unpublished")
@receiver(post_page_move, dispatch_uid="progress-figures-moved")
def course_contents_changed(sender, instance, **kwargs):
    """A lesson or assessment was published, withdrawn or moved: what counts as done
    may have changed for everyone on its course (and on the course it came from)."""
    if not isinstance(instance.specific_deferred, (LessonPage, AssessmentPage)):
        return
    paths = {parent_path(instance)}
    if kwargs.get("parent_page_before") is not None:
        paths.add(kwargs["parent_page_before"].path)
    for path in paths:
        transaction.on_commit(lambda path=path: refresh_course_figures.enqueue(path))
