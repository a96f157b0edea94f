from django.urls import path

from . import housekeeping_views, job_views, notice_views, views

app_name = "cohorts"

urlpatterns = [
    path("trainer/", views.overview, name="overview"),
    path("trainer/cohorts/<int:cohort_id>/", views.cohort_dashboard, name="dashboard"),
    path("trainer/cohorts/<int:cohort_id>/members/", views.members, name="members"),
    path("trainer/cohorts/<int:cohort_id>/assign/", views.assign_courses, name="assign"),
    path("trainer/cohorts/<int:cohort_id>/export.csv", views.export_csv, name="export_csv"),
    path("trainer/cohorts/<int:cohort_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path(
        "trainer/cohorts/<int:cohort_id>/certificates.zip",
        views.certificates_zip,
        name="certificates_zip",
    ),
    path("trainer/jobs/<int:job_id>/", job_views.job_status, name="job"),
    path("trainer/jobs/<int:job_id>/progress/", job_views.job_progress, name="job_progress"),
    path("trainer/jobs/<int:job_id>/download/", job_views.job_download, name="job_download"),
    path("trainer/learners/<int:learner_id>/", views.learner_detail, name="learner"),
    path(
        "trainer/learners/<int:learner_id>/assign/",
        views.assign_to_learner,
        name="assign_to_learner",
    ),
    path(
        "trainer/learners/<int:learner_id>/staff-number/",
        views.set_staff_number,
        name="set_staff_number",
    ),
    path(
        "trainer/learners/<int:learner_id>/adjustments/",
        views.set_time_adjustment,
        name="set_adjustment",
    ),
    path(
        "trainer/learners/<int:learner_id>/adjustments/<int:adjustment_id>/remove/",
        views.remove_time_adjustment,
        name="remove_adjustment",
    ),
    path("cohorts/join/<str:token>/", views.join, name="join"),
    # Housekeeping: leavers, names, archiving, due dates and invitations.
    path(
        "trainer/cohorts/<int:cohort_id>/learners/",
        housekeeping_views.member_list,
        name="member_list",
    ),
    path(
        "trainer/cohorts/<int:cohort_id>/learners/<int:learner_id>/remove/",
        housekeeping_views.remove_member,
        name="remove_member",
    ),
    path(
        "trainer/cohorts/<int:cohort_id>/settings/",
        housekeeping_views.cohort_settings,
        name="settings",
    ),
    path(
        "trainer/cohorts/<int:cohort_id>/archive/",
        housekeeping_views.archive_cohort,
        name="archive",
    ),
    path(
        "trainer/cohorts/<int:cohort_id>/assignments/<int:assignment_id>/due-date/",
        housekeeping_views.change_due_date,
        name="due_date",
    ),
    path(
        "trainer/cohorts/<int:cohort_id>/assignments/<int:assignment_id>/cancel/",
        housekeeping_views.cancel_assignment,
        name="cancel_assignment",
    ),
    path(
        "trainer/cohorts/<int:cohort_id>/links/<int:link_id>/withdraw/",
        housekeeping_views.withdraw_link,
        name="withdraw_link",
    ),
    path(
        "trainer/cohorts/<int:cohort_id>/invitations/<int:invitation_id>/withdraw/",
        housekeeping_views.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path(
        "trainer/assignments/<int:assignment_id>/nudge/",
        notice_views.nudge,
        name="nudge",
    ),
    path(
        "my-learning/assignments/<int:assignment_id>/calendar.ics",
        notice_views.assignment_calendar_file,
        name="assignment_calendar",
    ),
    path("reminders/stop/<str:token>/", notice_views.unsubscribe, name="unsubscribe"),
]
