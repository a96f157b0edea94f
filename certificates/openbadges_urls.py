from django.urls import path

from . import views

app_name = "openbadges"

urlpatterns = [
    path("issuer.json", views.issuer, name="issuer"),
    path("achievements/<int:course_id>.json", views.achievement, name="achievement"),
    path("badge.png", views.badge_image, name="badge_image"),
    path("status/<str:kid>/revocation.jwt", views.status_list, name="status_list"),
    path("credentials/<uuid:certificate_id>.json", views.credential, name="credential"),
]
