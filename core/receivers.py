"""Forgetting kept pages when the content they show changes."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.signals import page_unpublished, post_page_move

from .page_cache import forget_all_pages
from .page_routing import RESTRICTIONS_KEY


def content_changed(**kwargs):
    # Publishing saves the page, and so do pages created in code (the demo loader); a
    # saved draft also lands here, which only costs one re-render of each page.
    forget_all_pages()


# Connected model by model: a delete receiver for every sender would stop Django deleting
# any other model's rows in bulk. Every page model is loaded by the time ready() imports this.
for page_model in {Page, *get_page_models()}:
    uid = f"page-cache-{page_model._meta.label_lower}"
    post_save.connect(content_changed, sender=page_model, dispatch_uid=f"{uid}-saved")
    post_delete.connect(content_changed, sender=page_model, dispatch_uid=f"{uid}-deleted")

# Unpublishing and moving change pages with queryset updates.
page_unpublished.connect(content_changed, dispatch_uid="page-cache-unpublished")
post_page_move.connect(content_changed, dispatch_uid="page-cache-moved")


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="restrictions-changed-saved")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="restrictions-changed-deleted")
def forget_whether_restrictions_exist(**kwargs):
    # Again after commit: another request may have cached the old answer meanwhile.
    cache.delete(RESTRICTIONS_KEY)
    transaction.on_commit(lambda: cache.delete(RESTRICTIONS_KEY))
    # What is counted or kept per page generation may have been made while no page
    # was private, or while one was.
    forget_all_pages()
