from django.urls import path

from . import views

app_name = "privacy"

# Under /profile/, beside the account page that links to them.
urlpatterns = [
    path("my-data/", views.download_data, name="download_data"),
    path("delete/", views.delete_account, name="delete_account"),
    path("deleted/", views.account_deleted, name="account_deleted"),
]
