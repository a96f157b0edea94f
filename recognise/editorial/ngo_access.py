"""Each contributing NGO gets its own editors' group, page section and image collection.

Wagtail grants page and collection permissions to groups, so an NGO's editors share a
group whose permissions reach only their organisation's guidance section (and any
course they are given); they can add and edit drafts there, and never publish.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from accounts.models import Membership
from accounts.roles import NGO_EDITOR

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
EDITOR_IMAGE_PERMISSIONS = ["add_image", "change_image", "choose_image"]


def ngo_group_name(organisation):
    return f"NGO editors: {organisation.name}"


def _permissions(model_label, codenames):
    app_label, model = model_label.split(".")
    content_type = ContentType.objects.get(app_label=app_label, model=model)
    return list(Permission.objects.filter(content_type=content_type, codename__in=codenames))


def organisation_collection(organisation):
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=organisation.name).first()
    return existing or root.add_child(name=organisation.name)


def grant_pages(group, page, codenames=EDITOR_PAGE_PERMISSIONS):
    for permission in _permissions("wagtailcore.page", codenames):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


@transaction.atomic
def ensure_ngo_access(organisation):
    """The organisation's editors' group, with its section and collection permissions."""
    group, _created = Group.objects.get_or_create(name=ngo_group_name(organisation))
    # The section in each language: a Welsh section holds translations of their pages.
    for section in organisation.guidance_sections.all():
        grant_pages(group, Page.objects.get(pk=section.pk))
    collection = organisation_collection(organisation)
    for permission in _permissions("wagtailimages.image", EDITOR_IMAGE_PERMISSIONS):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )
    editors = Membership.objects.filter(
        organisation=organisation, user__groups__name=NGO_EDITOR
    ).values_list("user_id", flat=True)
    group.user_set.add(*editors)
    return group


def sync_user(user):
    """Put an NGO editor in their organisations' editors' groups, and nobody else."""
    is_editor = user.groups.filter(name=NGO_EDITOR).exists()
    wanted = set()
    if is_editor:
        for membership in Membership.objects.filter(user=user).select_related("organisation"):
            wanted.add(ensure_ngo_access(membership.organisation).pk)
    current = set(user.groups.filter(name__startswith="NGO editors: ").values_list("pk", flat=True))
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))
