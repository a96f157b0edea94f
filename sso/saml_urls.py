"""The SAML addresses an organisation's identity provider is given, under /accounts/ and
the same in every language: allauth's views, with a response used before refused at the
last step (saml_views.finish_acs)."""

import functools

from allauth.socialaccount.providers.saml import views as allauth_saml
from django.urls import path

from . import saml_views


def with_host_header(view):
    """python3-saml reads the Host header, which an HTTP/1.0 client may leave out; Django
    knows the host anyway (get_host() also checks it against ALLOWED_HOSTS)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.META.setdefault("HTTP_HOST", request.get_host())
        return view(request, *args, **kwargs)

    return wrapped


urlpatterns = [
    path(
        f"saml/<str:organization_slug>/{route}",
        with_host_header(view),
        name=name,
    )
    for route, view, name in (
        ("acs/", allauth_saml.acs, "saml_acs"),
        ("acs/finish/", saml_views.finish_acs, "saml_finish_acs"),
        ("sls/", allauth_saml.sls, "saml_sls"),
        ("metadata/", allauth_saml.metadata, "saml_metadata"),
        ("login/", allauth_saml.login, "saml_login"),
    )
]
