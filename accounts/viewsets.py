from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .admin_forms import RecogniseUserCreationForm, RecogniseUserEditForm
from .models import Organisation


class UserViewSet(WagtailUserViewSet):
    template_prefix = "accounts/admin/users/"

    def get_form_class(self, for_update=False):
        return RecogniseUserEditForm if for_update else RecogniseUserCreationForm


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_order = 650
    add_to_settings_menu = True
    list_display = ["name", "sector", "parent"]
    list_filter = ["sector"]
    search_fields = ["name"]
    form_fields = ["name", "slug", "sector", "parent", "email_domains"]
