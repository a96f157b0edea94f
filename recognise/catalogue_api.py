"""The public course catalogue as JSON, through Wagtail's API (/api/v2/pages/).

Only courses are listed: live ones that no view restriction hides, in this site
(Wagtail's public pages). Each course shows only the fields it names in `api_fields`,
so drafts, private pages and internal fields (review dates, the contributing
organisation) are never listed. Lessons and assessments are read on the site.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from core.api_not_found import keep_not_found
from courses.models import CoursePage


class CataloguePagesAPIViewSet(PagesAPIViewSet):
    def initial(self, request, *args, **kwargs):
        keep_not_found(request._request)
        super().initial(request, *args, **kwargs)

    def find_object(self, queryset, request):
        # Wagtail looks an ?id= up as given: anything but a number would be a server error.
        page_id = request.GET.get("id")
        if page_id is not None and not (
            page_id.isascii() and page_id.isdigit() and int(page_id) < 2**63
        ):
            return None
        return super().find_object(queryset, request)

    def get_base_queryset(self):
        return super().get_base_queryset().type(CoursePage)


catalogue_api = WagtailAPIRouter("catalogue_api")
catalogue_api.register_endpoint("pages", CataloguePagesAPIViewSet)
