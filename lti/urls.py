from django.urls import path

from . import roster_views, views

app_name = "lti"  # the people's pages are included as "lti_pages" (recognise/urls.py)

# Addresses the platforms call: the same in every language.
urlpatterns = [
    path("lti/jwks.json", views.jwks, name="jwks"),
    path("lti/login/<uuid:registration_uuid>/", views.login_initiation, name="login"),
    path("lti/launch/", views.launch, name="launch"),
    path("lti/deep-link/", views.deep_link_return, name="deep_link_return"),
]

# Pages people read.
people_urlpatterns = [
    path("lti/link/", views.link, name="link"),
    path("lti/continue/<str:token>/", views.continue_in_new_window, name="continue"),
    path(
        "trainer/cohorts/<int:cohort_id>/platform-roster/",
        roster_views.fill_from_roster,
        name="fill_from_roster",
    ),
    path(
        "trainer/roster-imports/<uuid:import_id>/", roster_views.roster_import, name="roster_import"
    ),
    path(
        "trainer/roster-imports/<uuid:import_id>/progress/",
        roster_views.roster_import_progress,
        name="roster_import_progress",
    ),
]
