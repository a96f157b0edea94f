from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts.models import Sector
from core.blocks import LessonBodyBlock, SourceBlock
from core.page_languages import original, shown_in
from core.page_routing import CheapViewRestrictionsMixin, not_private
from core.search_terms import (
    SearchRateLimitMixin,
    search_terms,
    search_within,
    without_control_characters,
)

GUIDANCE_PER_PAGE = 12


class GuidanceIndexPage(SearchRateLimitMixin, CheapViewRestrictionsMixin, Page):
    """The guidance library: every published guidance page, by sector and topic."""

    template = "guidance/guidance_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["guidance.GuidanceSectionPage"]
    max_count_per_parent = 1

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        verbose_name = _("guidance library")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        library = original(self)
        pages = (
            GuidancePage.objects.live()
            .filter(
                not_private(),
                models.Q(path__startswith=self.path) | models.Q(path__startswith=library.path),
                shown_in(self.locale_id),
            )
            .select_related("contributing_organisation", "locale")
            .prefetch_related("audience_sectors", "tags")
            .order_by("title")
        )
        # Topics come from the pages listed, so a Welsh library shows the Welsh topics.
        topics = (
            GuidanceTag.objects.filter(content_object__in=pages)
            .values("tag__name", "tag__slug")
            .distinct()
            .order_by("tag__name")
        )
        sector = request.GET.get("sector", "")
        if sector in Sector.values:
            pages = pages.filter(audience_sectors__sector=sector).distinct()
        else:
            sector = ""
        topic = without_control_characters(request.GET.get("topic", "")[:100])
        if topic:
            pages = pages.filter(tags__slug=topic).distinct()
        query = search_terms(request.GET.get("q", ""))
        if query:
            pages = search_within(pages, query)
        context.update(
            guidance_pages=Paginator(pages, GUIDANCE_PER_PAGE).get_page(request.GET.get("page")),
            sectors=Sector.choices,
            selected_sector=sector,
            topics=topics,
            selected_topic=topic,
            query=query,
            query_string=urlencode({"q": query, "sector": sector, "topic": topic}) + "&",
        )
        return context


class GuidanceSectionPage(CheapViewRestrictionsMixin, Page):
    """One contributing organisation's part of the library; its editors work only here."""

    template = "guidance/guidance_section_page.html"
    parent_page_types = ["guidance.GuidanceIndexPage"]
    subpage_types = ["guidance.GuidancePage"]

    # One section per organisation in each language: a translation keeps its organisation.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="guidance_sections",
    )
    introduction = models.TextField(_("about this organisation"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("organisation"), FieldPanel("introduction")]

    class Meta:
        verbose_name = _("organisation's guidance section")

    def clean(self):
        super().clean()
        others = GuidanceSectionPage.objects.filter(
            organisation_id=self.organisation_id, locale_id=self.locale_id
        ).exclude(pk=self.pk)
        if self.organisation_id and others.exists():
            raise ValidationError(
                {"organisation": _("This organisation already has a guidance section.")}
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guidance_pages"] = (
            GuidancePage.objects.live()
            .filter(not_private())
            .child_of(self)
            .select_related("contributing_organisation", "locale")
            .order_by("title")
        )
        return context


class GuidanceTag(TaggedItemBase):
    content_object = ParentalKey(
        "guidance.GuidancePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class GuidanceSector(Orderable):
    """A sector a guidance page is written for."""

    page = ParentalKey(
        "guidance.GuidancePage", related_name="audience_sectors", on_delete=models.CASCADE
    )
    sector = models.CharField(_("sector"), max_length=40, choices=Sector.choices)

    panels = [FieldPanel("sector")]

    def __str__(self):
        return self.get_sector_display()


class GuidancePage(CheapViewRestrictionsMixin, Page):
    """Practice guidance from a contributing organisation, published after review."""

    template = "guidance/guidance_page.html"
    parent_page_types = ["guidance.GuidanceSectionPage"]
    subpage_types = []

    summary = models.TextField(_("summary"))
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))
    sources = StreamField(
        [("source", SourceBlock())],
        verbose_name=_("sources"),
        min_num=1,
        help_text=_("Where the facts in this guidance come from."),
    )
    contributing_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("contributing organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Set from the section the page is in."),
    )
    tags = ClusterTaggableManager(through=GuidanceTag, blank=True, verbose_name=_("topics"))
    last_reviewed = models.DateField(_("last reviewed"))
    next_review = models.DateField(_("next review due"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        InlinePanel("audience_sectors", label=_("Audience sectors"), min_num=1),
        FieldPanel("tags"),
        FieldPanel("body"),
        FieldPanel("sources"),
        MultiFieldPanel(
            [FieldPanel("last_reviewed"), FieldPanel("next_review")], heading=_("Review")
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("next_review"),
    ]

    class Meta:
        verbose_name = _("guidance page")

    def clean(self):
        super().clean()
        if self.last_reviewed and self.next_review and self.next_review <= self.last_reviewed:
            raise ValidationError(
                {"next_review": _("The next review must come after the last review.")}
            )

    def save(self, *args, **kwargs):
        section = self.get_parent().specific if self.pk or self.path else None
        if isinstance(section, GuidanceSectionPage):
            self.contributing_organisation_id = section.organisation_id
        super().save(*args, **kwargs)

    def sector_labels(self):
        return [item.get_sector_display() for item in self.audience_sectors.all()]


GUIDANCE_ON_SECTOR_PAGE = 10


def sector_guidance(request, page):
    """A sector page's guidance for that sector (core.page_context)."""
    return {
        "guidance_pages": GuidancePage.objects.live()
        .filter(not_private())
        .filter(shown_in(page.locale_id), audience_sectors__sector=page.sector)
        .select_related("contributing_organisation")
        .distinct()
        .order_by("title")[:GUIDANCE_ON_SECTOR_PAGE]
    }
