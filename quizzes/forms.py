from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import scoring


class QuestionForm(WagtailAdminModelForm):
    """Refuses to save a question that could not be scored fairly, and says why."""

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
