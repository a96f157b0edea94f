from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("certificates/<uuid:certificate_id>/", views.detail, name="detail"),
    path("certificates/<uuid:certificate_id>/certificate.pdf", views.download_pdf, name="pdf"),
    path(
        "certificates/<uuid:certificate_id>/open-badge.jwt",
        views.download_credential,
        name="credential",
    ),
    path(
        "certificates/<uuid:certificate_id>/open-badge.png",
        views.download_baked_badge,
        name="baked_badge",
    ),
    path("certificates/refresh/<int:course_id>/", views.refresh, name="refresh"),
    path("certificates/cpd-record.<str:file_format>", views.cpd_record, name="cpd_record"),
    # Public: anyone can check a certificate.
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/credential/", views.verify_credential, name="verify_credential"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
