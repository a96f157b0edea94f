from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("enrol/<int:course_id>/", views.enrol_in_course, name="enrol"),
    path("lessons/<int:lesson_id>/complete/", views.mark_lesson_complete, name="complete_lesson"),
]
