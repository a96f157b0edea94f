from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from . import scoring
from .question_access import categories_for, is_scoped

NOT_YOUR_CATEGORY = gettext_lazy("Choose a category of a course your organisation contributes to.")
NOT_YOUR_SCENARIO = gettext_lazy(
    "Choose a scenario group in a category of a course your organisation contributes to."
)


class QuestionForm(WagtailAdminModelForm):
    """Refuses to save a question that could not be scored fairly, and says why.

    An NGO editor may only put a question in a category of a course their organisation
    contributes to (quizzes/question_access.py), and only in a scenario group of one.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or not is_scoped(user):
            return
        categories = self._meta.model._meta.get_field("category").related_model
        allowed = categories_for(user, categories.objects.all())
        if "category" in self.fields:
            self.fields["category"].queryset = allowed
            self.fields["category"].error_messages["invalid_choice"] = NOT_YOUR_CATEGORY
        if "scenario" in self.fields:
            field = self.fields["scenario"]
            field.queryset = field.queryset.filter(category__in=allowed)
            field.error_messages["invalid_choice"] = NOT_YOUR_SCENARIO

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("options")
        if formset is None or not all(form.is_valid() for form in formset.forms):
            return cleaned
        options = [
            (form.cleaned_data.get("text"), form.cleaned_data.get("is_correct"))
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problems = scoring.question_problems(
            cleaned.get("kind"), options, cleaned.get("scoring_rule")
        )
        for problem in problems:
            self.add_error(None, problem)
        if problems:
            self.add_error("kind", _("The options do not suit this type of question."))
        return cleaned


class ScenarioGroupForm(WagtailAdminModelForm):
    """An NGO editor may only put a scenario group in a category of a course their
    organisation contributes to (quizzes/question_access.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or not is_scoped(user, "scenariogroup") or "category" not in self.fields:
            return
        categories = self._meta.model._meta.get_field("category").related_model
        self.fields["category"].queryset = categories_for(user, categories.objects.all())
        self.fields["category"].error_messages["invalid_choice"] = NOT_YOUR_CATEGORY
