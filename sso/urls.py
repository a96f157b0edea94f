"""The identity providers' own addresses (sign in there, come back here), outside the
language prefixes: the callback URL registered at a provider must be one exact address,
whatever language the person reads the site in. The names are allauth's, so its
providers find them."""

from django.urls import path

from . import openid_connect

urlpatterns = [
    path("oidc/<str:provider_id>/login/", openid_connect.login, name="openid_connect_login"),
    path(
        "oidc/<str:provider_id>/login/callback/",
        openid_connect.callback,
        name="openid_connect_callback",
    ),
]
