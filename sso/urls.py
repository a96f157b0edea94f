"""The identity providers' own addresses (sign in there, come back here), outside the
language prefixes: the callback URL registered at a provider must be one exact address,
whatever language the person reads the site in."""

from allauth.urls import build_provider_urlpatterns

urlpatterns = build_provider_urlpatterns()
