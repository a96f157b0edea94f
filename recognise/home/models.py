from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from core.page_routing import CheapViewRestrictionsMixin, route_in_one_step
from learning.next_steps import continue_learning, core_course, sector_pages

# Editors get a small, safe set of formatting; Wagtail's rich text whitelist strips the rest.
INTRO_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class HomePage(CheapViewRestrictionsMixin, Page):
    """The front door of the site: what Recognise is for and where each person starts."""

    template = "home/home_page.html"
    parent_page_types = ["wagtailcore.Page"]

    strapline = models.CharField(
        _("strapline"),
        max_length=255,
        blank=True,
        help_text=_("One sentence under the title, saying who the training is for."),
    )
    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("strapline"),
        FieldPanel("intro"),
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        context.update(
            core_course=core_course(),
            sector_pages=sector_pages(),
            next_step=continue_learning(user) if user.is_authenticated else None,
        )
        return context

    def route(self, request, path_components):
        return route_in_one_step(self, request, path_components)

    class Meta:
        verbose_name = _("home page")
