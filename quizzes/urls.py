from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("assessments/<int:page_id>/start/", views.start, name="start"),
    path("attempts/<uuid:attempt_id>/", views.attempt_view, name="attempt"),
    path("attempts/<uuid:attempt_id>/result/", views.result, name="result"),
]
