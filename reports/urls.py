from django.urls import path

from . import token_views, views

app_name = "reports"

urlpatterns = [
    path("trainer/api-tokens/", token_views.api_tokens, name="api_tokens"),
    path(
        "trainer/api-tokens/<int:token_id>/revoke/",
        token_views.revoke_api_token,
        name="revoke_api_token",
    ),
    path("trainer/compliance/", views.compliance_view, name="compliance"),
    path("trainer/compliance/export.csv", views.export_csv, name="compliance_csv"),
    path("trainer/compliance/export.xlsx", views.export_xlsx, name="compliance_xlsx"),
]
