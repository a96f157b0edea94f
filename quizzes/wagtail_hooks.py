import django_filters
from django.contrib import messages
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views, item_checks
from .models import AssessmentPage, Question, QuestionCategory, ScenarioGroup
from .question_access import QuestionPermissionPolicy, only_own_questions, questions_for

register_permission_policy(Question, QuestionPermissionPolicy(Question), exact_class=True)
register_permission_policy(ScenarioGroup, QuestionPermissionPolicy(ScenarioGroup), exact_class=True)


def guard_urlpatterns(urlpatterns, model):
    """The same patterns, each view refusing questions outside the user's courses."""
    return [
        URLPattern(
            pattern.pattern,
            only_own_questions(pattern.callback, model),
            pattern.default_args,
            pattern.name,
        )
        for pattern in urlpatterns
    ]


class OwnQuestionsMixin:
    def get_object_list(self):
        return questions_for(self.request.user, super().get_object_list())


class QuestionChooseView(OwnQuestionsMixin, chooser.ChooseView):
    pass


class QuestionChooseResultsView(OwnQuestionsMixin, chooser.ChooseResultsView):
    pass


class QuestionChosenMultipleView(chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return questions_for(self.request.user, super().get_objects(pks))


class QuestionChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView
    chosen_multiple_view_class = QuestionChosenMultipleView

    def get_urlpatterns(self):
        return guard_urlpatterns(super().get_urlpatterns(), self.model)


def own_scenario_groups(request):
    if request is None:
        return ScenarioGroup.objects.none()
    return questions_for(request.user, ScenarioGroup.objects.all())


class QuestionFilterSet(WagtailFilterSet):
    # The scenario groups offered are the user's own: another organisation's proposed
    # stem is not named to an NGO editor.
    scenario = django_filters.ModelChoiceFilter(
        label=_("scenario group"), queryset=own_scenario_groups
    )

    class Meta:
        model = Question
        fields = ["kind", "category", "scenario", "live"]


class QuestionViewSet(SnippetViewSet):
    """Questions, as drafts for NGO editors and only for their own courses' questions
    (quizzes/question_access.py); publishers publish."""

    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["prompt", "kind", "category", "scenario", LiveStatusTagColumn()]
    filterset_class = QuestionFilterSet
    search_fields = ["prompt"]
    chooser_viewset_class = QuestionChooserViewSet

    def get_queryset(self, request):
        return questions_for(request.user, Question.objects.all())

    def get_urlpatterns(self):
        return guard_urlpatterns(super().get_urlpatterns(), self.model)


class ScenarioGroupChooserViewSet(QuestionChooserViewSet):
    pass


class ScenarioGroupViewSet(SnippetViewSet):
    """Case-study stems, reviewed like questions: NGO editors propose them for their own
    courses (quizzes/question_access.py); the workflow's reviewers and publishers
    approve them."""

    model = ScenarioGroup
    icon = "user"
    menu_label = _("Scenario groups")
    list_display = ["title", "category", LiveStatusTagColumn()]
    list_filter = ["category", "live"]
    chooser_viewset_class = ScenarioGroupChooserViewSet

    def get_queryset(self, request):
        return questions_for(request.user, ScenarioGroup.objects.all())

    def get_urlpatterns(self):
        return guard_urlpatterns(super().get_urlpatterns(), self.model)


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "tag"
    menu_label = _("Categories")
    list_display = ["name", "slug", "course"]


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
        path("question-bank/checks/", admin_views.item_report, name="quizzes_item_report"),
    ]


class ItemReportMenuItem(MenuItem):
    def is_shown(self, request):
        return QuestionPermissionPolicy(Question).user_has_any_permission(
            request.user, admin_views.BANK_ACTIONS
        )


@hooks.register("register_reports_menu_item")
def register_item_report_menu_item():
    return ItemReportMenuItem(
        _("Question writing checks"), reverse("quizzes_item_report"), icon_name="help", order=60
    )


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def warn_about_item_writing_cues(request, instance):
    """After a question is saved, say which item-writing checks it fails (it is saved
    anyway). Saves that answer in JSON (autosave) get no message: it would only show
    on some later page."""
    if not isinstance(instance, Question) or not request.accepts("text/html"):
        return
    options = [(option.text, option.is_correct) for option in instance.options.all()]
    for warning in item_checks.question_warnings(instance.kind, options):
        messages.warning(request, warning)


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
