from django_tasks import task


@task()
def refresh_course_figures(course_path):
    """Recompute every enrolment's dashboard figures on the course at this path."""
    from .progress_summary import refresh

    return refresh(course_path)
