from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views
from certificates import views as certificate_views
from core.page_cache import cached_pages
from core.page_routing import routed
from lti import urls as lti_urls
from quizzes import review_reports
from recognise.catalogue_api import catalogue_api
from recognise.editorial import page_chooser
from recognise.editorial.media import serve_image
from recognise.home import search
from recognise.home import views as home_views
from recognise.settings.environment import env_bool

# allauth answers a request over its rate limits with this view (a 429 with Retry-After).
handler429 = "core.rate_limits.allauth_too_many_requests"

# Machine and staff addresses stay the same in every language.
urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    # Organisations' identity providers send people back to one fixed address (sso/urls.py).
    path("sso/", include("sso.urls")),
    # Their SAML identity providers likewise, at the addresses docs/sso-saml.md gives.
    path("accounts/", include("sso.saml_urls")),
    # The admin signs in through allauth (rate limits, MFA); its own login form is never shown.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="admin_login_redirect",
    ),
    # Wagtail names any page asked for by id here; only pages the chooser offers are named.
    path(
        "admin/choose-page/chosen-multiple/",
        page_chooser.chosen_pages,
        name="page_chooser_chosen_multiple",
    ),
    # Wagtail's workflow and history reports, without other organisations' proposed
    # questions and scenario groups.
    path("admin/reports/", include(review_reports)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("badges/", include("certificates.openbadges_urls")),
    path(".well-known/jwks.json", certificate_views.jwks, name="jwks"),
    # LTI 1.3: the addresses platforms call (lti/).
    path("", include((lti_urls.urlpatterns, "lti"), namespace="lti")),
    path("language/", account_views.switch_language, name="switch_language"),
    # The organisation reporting API (token-authenticated, read-only) and the public
    # course catalogue (Wagtail's pages API).
    path("", include("reports.api.urls")),
    path("api/v2/", catalogue_api.urls),
]

# `make bench` compares each page with the cheapest response the same stack can give
# (middleware, sessions, gunicorn). The address exists only while benchmarking.
if env_bool("BENCHMARK_CEILING"):
    urlpatterns.append(path("bench/ceiling/", lambda request: HttpResponse("ceiling")))

# Images in local media storage are served by the application, in production too;
# nothing else under MEDIA_URL is (certificate PDFs are in private storage).
if settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<folder>images|original_images)/(?P<name>.+)$",
            serve_image,
            name="media_image",
        )
    )

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Everything people read carries its language: /en/... and /cy/...
urlpatterns += i18n_patterns(
    # allauth's pages, less its identity provider addresses (above, without a language).
    path("accounts/", include("allauth.account.urls")),
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path("accounts/3rdparty/", include("allauth.socialaccount.urls")),
    path("accounts/sessions/", include("allauth.usersessions.urls")),
    path("profile/", include("accounts.urls")),
    path("profile/", include("recognise.privacy.urls")),
    path("privacy/", account_views.privacy, name="privacy"),
    path("accessibility/", home_views.accessibility_statement, name="accessibility"),
    path("learning/", include("learning.urls")),
    path("search/", search.search, name="search"),
    path("", include("certificates.urls")),
    path("", include("cohorts.urls")),
    path("", include((lti_urls.people_urlpatterns, "lti_pages"), namespace="lti_pages")),
    path("", include("reports.urls")),
    # Wagtail's sign-in form for private pages takes a password alone, which would let
    # staff past their second factor; everyone signs in through allauth instead.
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="page_login_redirect",
    ),
    # Wagtail's page serving catches every other path, so it comes last; pages come
    # from the page cache where they can (core/page_cache.py), and are found in a few
    # small queries (core/page_routing.py).
    re_path(
        wagtail_urls.serve_pattern,
        cached_pages(routed(wagtail_views.serve)),
        name="wagtail_serve",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

# SAML sign-in: the addresses an organisation's identity provider is given, the same in
# every language (docs/sso-saml.md). allauth.urls has them under /en/ and /cy/ too;
# reverse() takes the last pattern of a name, so these come last and are the ones named.
