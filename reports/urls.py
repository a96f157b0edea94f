from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("trainer/compliance/", views.compliance_view, name="compliance"),
    path("trainer/compliance/export.csv", views.export_csv, name="compliance_csv"),
    path("trainer/compliance/export.xlsx", views.export_xlsx, name="compliance_xlsx"),
]
