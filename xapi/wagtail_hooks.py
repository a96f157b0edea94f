from wagtail import hooks
from wagtail.permissions import register_permission_policy

from accounts.admin_permissions import SuperusersOnlyPolicy

from .models import LearningRecordStore
from .viewsets import LearningRecordStoreViewSet

# Registered before the viewset asks for a policy, so no model-permission fallback is made.
register_permission_policy(LearningRecordStore, SuperusersOnlyPolicy(LearningRecordStore))


@hooks.register("register_admin_viewset")
def register_learning_record_store_viewset():
    return LearningRecordStoreViewSet("learning_record_stores")
