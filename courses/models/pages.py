from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from accounts.models import Sector
from core.blocks import SHORT_RICH_TEXT_FEATURES, LessonBodyBlock, SourceBlock
from core.page_context import ProvidedContextMixin
from core.page_languages import (
    in_reader_language,
    is_default,
    mark_other_language,
)
from core.page_routing import CheapViewRestrictionsMixin, HiddenWithParentMixin, not_private
from core.search_terms import SearchRateLimitMixin, search_terms, search_within

COURSES_PER_PAGE = 12


def live_courses():
    return CoursePage.objects.live().filter(not_private()).prefetch_related("course_sectors")


def courses_for_reader():
    """Every live course once, in the reader's language where it has been translated."""
    return in_reader_language(live_courses(), Locale.get_active())


class CatalogueIndexPage(SearchRateLimitMixin, CheapViewRestrictionsMixin, Page):
    """The course catalogue: every published course, filterable by sector and searchable."""

    template = "courses/pages/catalogue_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        locale = Locale.get_active()
        courses = courses_for_reader().order_by("title")
        if not is_default(locale):
            # Courses not translated yet are listed in English, and counted.
            context["english_only_count"] = courses.exclude(locale=locale).count()
        sector = request.GET.get("sector", "")
        if sector in Sector.values:
            courses = courses.filter(course_sectors__sector=sector).distinct()
        else:
            sector = ""
        query = search_terms(request.GET.get("q", ""))
        if query:
            courses = search_within(courses, query)
        page_number = request.GET.get("page")
        page = Paginator(courses, COURSES_PER_PAGE).get_page(page_number)
        mark_other_language(page.object_list, locale)
        context.update(
            courses=page,
            sectors=Sector.choices,
            selected_sector=sector,
            query=query,
            query_string=urlencode({"q": query, "sector": sector}) + "&",
        )
        return context


class SectorIndexPage(CheapViewRestrictionsMixin, Page):
    """Lists the sector pages so each practitioner can find where to start."""

    template = "courses/pages/sector_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.SectorPage"]
    max_count_per_parent = 1

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        verbose_name = _("sector index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sector_pages"] = SectorPage.objects.live().filter(not_private()).child_of(self)
        return context


class SectorPage(ProvidedContextMixin, CheapViewRestrictionsMixin, Page):
    """One sector (e.g. police): what its practitioners must do, and the courses for it."""

    template = "courses/pages/sector_page.html"
    parent_page_types = ["courses.SectorIndexPage"]
    subpage_types = []

    sector = models.CharField(_("sector"), max_length=40, choices=Sector.choices)
    introduction = models.TextField(_("introduction"))
    responsibilities = RichTextField(
        _("what practitioners must do"), features=SHORT_RICH_TEXT_FEATURES
    )

    content_panels = Page.content_panels + [
        FieldPanel("sector"),
        FieldPanel("introduction"),
        FieldPanel("responsibilities"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    class Meta:
        verbose_name = _("sector page")

    def get_context(self, request, *args, **kwargs):
        # The sector's guidance is added by the guidance app (core.page_context).
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = mark_other_language(
            courses_for_reader()
            .filter(course_sectors__sector=self.sector)
            .distinct()
            .order_by("title"),
            Locale.get_active(),
        )
        return context


class CourseSector(Orderable):
    """A sector a course is written for."""

    course = ParentalKey(
        "courses.CoursePage", related_name="course_sectors", on_delete=models.CASCADE
    )
    sector = models.CharField(_("sector"), max_length=40, choices=Sector.choices)

    panels = [FieldPanel("sector")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["course", "sector"], name="courses_course_sector_unique"
            )
        ]

    def __str__(self):
        return self.get_sector_display()


class CoursePage(ProvidedContextMixin, CheapViewRestrictionsMixin, Page):
    """A course: its lessons (and assessments) are its child pages, in order."""

    template = "courses/pages/course_page.html"
    parent_page_types = ["courses.CatalogueIndexPage"]
    subpage_types = ["courses.LessonPage", "quizzes.AssessmentPage"]

    summary = models.TextField(_("summary"), help_text=_("One or two sentences for the catalogue."))
    learning_outcomes = StreamField(
        [
            (
                "outcome",
                blocks.CharBlock(
                    label=_("Learning outcome"),
                    help_text=_(
                        "What a learner can do after the course, starting with a verb, "
                        "for example “Recognise the signs of trafficking”. Every outcome "
                        "needs a question that tests it."
                    ),
                ),
            )
        ],
        verbose_name=_("learning outcomes"),
        min_num=1,
    )
    estimated_minutes = models.PositiveIntegerField(_("estimated time in minutes"))
    cpd_hours = models.DecimalField(_("CPD hours"), max_digits=4, decimal_places=1)
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("courses to take first"),
        blank=True,
        related_name="required_by",
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"), default=24
    )
    content_note = models.TextField(
        _("content note"),
        blank=True,
        help_text=_("Warn learners about distressing material in this course."),
    )
    last_reviewed = models.DateField(_("last reviewed"))
    next_review = models.DateField(_("next review due"))
    contributing_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("contributing organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who wrote and keeps this course up to date; empty means the platform team."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        InlinePanel("course_sectors", label=_("Sectors"), min_num=1),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_minutes"),
                FieldPanel("cpd_hours"),
                FieldPanel("certificate_validity_months"),
            ],
            heading=_("Time and certificate"),
        ),
        FieldPanel("prerequisites"),
        FieldPanel("content_note"),
        MultiFieldPanel(
            [
                FieldPanel("last_reviewed"),
                FieldPanel("next_review"),
                FieldPanel("contributing_organisation"),
            ],
            heading=_("Review"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
    ]
    # What the public catalogue API (/api/v2/pages/) shows of a course: what its page
    # shows everyone, nothing of its review or ownership.
    api_fields = [
        APIField("summary"),
        APIField("learning_outcomes"),
        APIField("estimated_minutes"),
        APIField("cpd_hours"),
        APIField("certificate_validity_months"),
        APIField("content_note"),
        APIField("sectors", serializer=serializers.ListField(child=serializers.CharField())),
    ]

    class Meta:
        verbose_name = _("course")

    def clean(self):
        super().clean()
        if self.last_reviewed and self.next_review and self.next_review <= self.last_reviewed:
            raise ValidationError(
                {"next_review": _("The next review must come after the last review.")}
            )

    def lessons(self):
        """The published lessons, in the order editors set in the page tree."""
        return LessonPage.objects.live().filter(not_private()).child_of(self).order_by("path")

    @property
    def sectors(self):
        """The sectors' codes, for the catalogue API."""
        return [item.sector for item in self.course_sectors.all()]

    def sector_labels(self):
        return [item.get_sector_display() for item in self.course_sectors.all()]


class LessonPage(ProvidedContextMixin, CheapViewRestrictionsMixin, HiddenWithParentMixin, Page):
    """One lesson of a course: a body of blocks that always ends with its sources."""

    template = "courses/pages/lesson_page.html"
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    # Read beside assessments in a course's task list (an assessment says True).
    is_assessment = False

    summary = models.TextField(_("summary"), blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated time in minutes"), default=10)
    required = models.BooleanField(
        _("required for completion"),
        default=True,
        help_text=_("Untick for optional further reading."),
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))
    sources = StreamField(
        [("source", SourceBlock())],
        verbose_name=_("sources"),
        min_num=1,
        help_text=_("Every lesson ends with the sources of its facts."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("required"),
        FieldPanel("body"),
        FieldPanel("sources"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("lesson")
