from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import AssessmentPage, Question, QuestionCategory, ScenarioGroup


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["prompt", "kind", "category", "scenario"]
    list_filter = ["kind", "category", "scenario"]
    search_fields = ["prompt"]


class ScenarioGroupViewSet(SnippetViewSet):
    model = ScenarioGroup
    icon = "user"
    menu_label = _("Scenario groups")
    list_display = ["title", "category"]
    list_filter = ["category"]


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "tag"
    menu_label = _("Categories")
    list_display = ["name", "slug"]


class QuestionBankViewSetGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, ScenarioGroupViewSet, QuestionCategoryViewSet)
    menu_icon = "help"
    menu_label = _("Question bank")
    menu_name = "question-bank"
    menu_order = 250


register_snippet(QuestionBankViewSetGroup)


@hooks.register("register_admin_urls")
def register_statistics_urls():
    return [
        path(
            "assessments/<int:page_id>/statistics/",
            admin_views.statistics,
            name="quizzes_statistics",
        ),
        path(
            "assessments/<int:page_id>/statistics.csv",
            admin_views.statistics_csv,
            name="quizzes_statistics_csv",
        ),
    ]


@hooks.register("register_page_listing_more_buttons")
def statistics_button(page, user, next_url=None):
    """A "Statistics" entry in an assessment's "More" menu in the page explorer."""
    if (
        issubclass(page.specific_class or object, AssessmentPage)
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            _("Statistics"),
            reverse("quizzes_statistics", args=[page.pk]),
            icon_name="help",
            priority=60,
        )
