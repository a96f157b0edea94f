"""Keeping an API's 404 a 404.

LocaleMiddleware answers a 404 outside /en/ with a redirect to the same address under
/en/ whenever the site's URLs would match it there, and Wagtail's page serving matches
anything. An API view calls keep_not_found(request) so the middleware reads this
module's URLs instead (none, and no language prefixes) and leaves the 404 alone.
"""

urlpatterns = []


def keep_not_found(request):
    request.urlconf = __name__
