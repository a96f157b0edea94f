from django.urls import path

from . import job_views, views

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
]
