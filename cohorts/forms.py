import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from core.date_input import DayMonthYearField
from core.page_languages import default_locale_id, reader_title, with_reader_title
from core.page_routing import not_private
from core.strict_parsing import IdsChoiceField
from courses.models import CoursePage
from learning.models import EXTRA_TIME_CHOICES, TimeAdjustment

from .email_text import COHORT_NAME_LIMIT, has_address, has_hidden_characters
from .models import Assignment, Cohort


class TrainersOrganisationMixin:
    """A model form whose `organisation` field offers only the trainer's organisations,
    and is hidden when they train for one."""

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        if organisations.count() == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations.first()


def one_line_name(value, missing_message):
    """A name stripped of outer spaces, refused when empty or not on one visible line."""
    name = value.strip()
    if not name:
        raise forms.ValidationError(missing_message)
    if has_hidden_characters(name):
        raise forms.ValidationError(
            _("Write the name on one line, without tabs or invisible characters.")
        )
    return name


class CohortForm(TrainersOrganisationMixin, forms.ModelForm):
    # Shorter than the column allows: the name is quoted in invitation emails
    # (cohorts.email_text), which cut anything longer.
    name = forms.CharField(
        label=_("Cohort name"),
        max_length=COHORT_NAME_LIMIT,
        help_text=_("For example “Neighbourhood officers, spring intake”."),
    )

    class Meta:
        model = Cohort
        fields = ["organisation", "name"]

    def clean_name(self):
        name = one_line_name(self.cleaned_data["name"], _("Give the cohort a name."))
        if has_address(name):
            # Invitations quote the name to people outside the platform.
            raise forms.ValidationError(_("A cohort's name cannot contain a web or email address."))
        return name

    def clean(self):
        cleaned = super().clean()
        organisation, name = cleaned.get("organisation"), cleaned.get("name")
        if (
            organisation
            and name
            and Cohort.objects.filter(organisation=organisation, name__iexact=name).exists()
        ):
            self.add_error("name", _("Your organisation already has a cohort with this name."))
        return cleaned


class AssignForm(forms.Form):
    courses = IdsChoiceField(
        label=_("Courses"),
        queryset=CoursePage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose courses from the list."),
            "invalid_pk_value": _("Choose courses from the list."),
        },
    )
    due_date = DayMonthYearField(label=_("Due date"), help_text=_("For example, 27 3 2027"))
    recertify_months = forms.IntegerField(
        label=_("Recertify every (months)"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("Leave empty if the course is taken once."),
    )
    # Only for a cohort: someone who joins after the due date gets a date of their own.
    late_joiners = forms.ChoiceField(
        label=_("If someone joins the cohort after the due date"),
        choices=Assignment.LateJoiners.choices,
        initial=Assignment.LateJoiners.WINDOW,
        required=False,
        widget=forms.RadioSelect,
    )
    late_due_date = DayMonthYearField(
        label=_("Due date for people who join late"),
        required=False,
        help_text=_("Only if you chose a date. For example, 27 3 2027"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each course once: learners' records are kept against the original, and it is
        # shown in the trainer's language where it has been translated.
        self.fields["courses"].queryset = with_reader_title(
            CoursePage.objects.live()
            .filter(not_private(), locale_id=default_locale_id(settings.LANGUAGE_CODE))
            .order_by("title")
        )
        self.fields["courses"].label_from_instance = reader_title

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        if due > timezone.localdate() + datetime.timedelta(days=3 * 365):
            raise forms.ValidationError(_("Choose a due date within three years."))
        return due

    def clean(self):
        cleaned = super().clean()
        cleaned["late_joiners"] = cleaned.get("late_joiners") or Assignment.LateJoiners.WINDOW
        if cleaned["late_joiners"] != Assignment.LateJoiners.DATE:
            cleaned["late_due_date"] = None
            return cleaned
        due, late_due = cleaned.get("due_date"), cleaned.get("late_due_date")
        if late_due is None:
            if "late_due_date" not in self.errors:
                self.add_error("late_due_date", _("Enter the date for people who join late."))
        elif due and late_due <= due:
            self.add_error(
                "late_due_date", _("The date for people who join late must be after the due date.")
            )
        return cleaned

    def late_joiner_terms(self):
        """What the assignment records about late joiners, from the cleaned form."""
        return {
            "late_joiners": self.cleaned_data["late_joiners"],
            "late_due_date": self.cleaned_data["late_due_date"],
        }


class AddressListForm(forms.Form):
    addresses = forms.CharField(
        label=_("Email addresses"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, or separated by commas."),
    )


class CSVImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("A column headed “email”, or addresses in the first column."),
    )


class ExistingMembersForm(forms.Form):
    learners = forms.ModelMultipleChoiceField(
        label=_("People in your organisation"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learners"].queryset = queryset


class InvitationLinkForm(forms.Form):
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=90, initial=14
    )
    max_uses = forms.IntegerField(
        label=_("Number of people who can use it"), min_value=1, max_value=1000, initial=30
    )


ALL_ASSESSMENTS = ""
NO_TIME_LIMIT = "none"


class TimeAdjustmentForm(forms.Form):
    """A reasonable adjustment to a learner's assessment time limits."""

    assessment = forms.ChoiceField(
        label=_("Assessment"),
        # Empty is a choice: every assessment.
        required=False,
        help_text=_("An adjustment for one assessment takes the place of one for all."),
    )
    extra_time = forms.ChoiceField(
        label=_("Time"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how much time the learner has.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example who asked and why. Only trainers and administrators see it; "
            "there is no need to record a diagnosis."
        ),
    )

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessments = {str(assessment.pk): assessment for assessment in assessments}
        self.fields["assessment"].choices = [(ALL_ASSESSMENTS, _("All assessments"))] + [
            (key, assessment.full_title) for key, assessment in self.assessments.items()
        ]
        self.fields["assessment"].error_messages["invalid_choice"] = _(
            "Choose an assessment from the list."
        )
        self.fields["extra_time"].choices = [
            (str(percent), _("%(percent)s%% extra time") % {"percent": percent})
            for percent in EXTRA_TIME_CHOICES
        ] + [(NO_TIME_LIMIT, _("No time limit"))]
        self.fields["extra_time"].error_messages["invalid_choice"] = _(
            "Choose the extra time from the list."
        )

    @property
    def adjustment(self):
        """(assessment or None for all, kind, extra percent) from the cleaned data."""
        assessment = self.assessments.get(self.cleaned_data["assessment"])
        choice = self.cleaned_data["extra_time"]
        if choice == NO_TIME_LIMIT:
            return assessment, TimeAdjustment.Kind.NO_LIMIT, None
        return assessment, TimeAdjustment.Kind.EXTRA_TIME, int(choice)


class StaffNumberForm(forms.ModelForm):
    """The organisation's own number for a learner (collar, payroll or ESR number)."""

    class Meta:
        model = Membership
        fields = ["staff_number"]

    def clean_staff_number(self):
        number = self.cleaned_data["staff_number"].strip()
        # Written into exports and the audit line: no hidden characters.
        if has_hidden_characters(number):
            raise forms.ValidationError(_("Use letters, numbers and ordinary punctuation only."))
        return number
