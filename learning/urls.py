from django.urls import path

from . import assessment_views, paged_attempt_views, views

app_name = "learning"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("enrol/<int:course_id>/", views.enrol_in_course, name="enrol"),
    path("lessons/<int:lesson_id>/complete/", views.mark_lesson_complete, name="complete_lesson"),
    path("assessments/<int:page_id>/start/", assessment_views.start, name="start"),
    path("attempts/<uuid:attempt_id>/", assessment_views.attempt_view, name="attempt"),
    path("attempts/<uuid:attempt_id>/autosave/", assessment_views.autosave, name="autosave"),
    path(
        "attempts/<uuid:attempt_id>/questions/<int:number>/",
        paged_attempt_views.attempt_page,
        name="attempt_page",
    ),
    path(
        "attempts/<uuid:attempt_id>/check/",
        paged_attempt_views.check_answers,
        name="check_answers",
    ),
    path("attempts/<uuid:attempt_id>/result/", assessment_views.result, name="result"),
]
