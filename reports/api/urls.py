"""The reporting API's addresses, written in full so the schema can be built from this
module alone (without the Wagtail catalogue API beside it)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "reporting_api"

PREFIX = "api/v1/reports/"

urlpatterns = [
    path(f"{PREFIX}learners/", views.LearnerList.as_view(), name="learners"),
    path(f"{PREFIX}learners/<int:learner_id>/", views.LearnerDetail.as_view(), name="learner"),
    path(f"{PREFIX}assignments/", views.AssignmentList.as_view(), name="assignments"),
    path(f"{PREFIX}statuses/", views.StatusList.as_view(), name="statuses"),
    # The schema describes the API, not anyone's data: anyone may read it. YAML, or
    # JSON with ?format=json.
    path(
        f"{PREFIX}schema/",
        SpectacularAPIView.as_view(urlconf="reports.api.urls"),
        name="schema",
    ),
]
