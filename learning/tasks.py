from django_tasks import task

from .progress_summary import refresh


@task()
def refresh_course_figures(course_path):
    """Recompute every enrolment's dashboard figures on the course at this path."""
    return refresh(course_path)
