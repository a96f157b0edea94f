"""Time adjustments in the Wagtail admin, under Settings: administrators (superusers)
only, since a note may concern a learner's health. Every change goes through
learning.adjustments, which records it in the audit log."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Locale

from quizzes.models import AssessmentPage

from .adjustments import describe, remove_adjustment, save_and_record, with_course_titles
from .models import TimeAdjustment


class LearnerByEmailField(forms.ModelChoiceField):
    """A learner named by their email address, as an administrator would know them."""

    def to_python(self, value):
        value = (value or "").strip()
        if value in self.empty_values:
            return None
        user = self.queryset.filter(email__iexact=value).first()
        if user is None:
            raise ValidationError(_("No account has this email address."), code="invalid_choice")
        return user

    def prepare_value(self, value):
        if isinstance(value, int):
            user = self.queryset.filter(pk=value).first()
            return user.email if user else ""
        return value.email if hasattr(value, "email") else value


class AssessmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_title


class TimeAdjustmentAdminForm(forms.ModelForm):
    learner = LearnerByEmailField(
        label=_("Learner's email address"),
        queryset=get_user_model().objects.filter(is_active=True),
        widget=forms.EmailInput,
    )
    assessment = AssessmentChoiceField(
        label=_("Assessment"),
        queryset=AssessmentPage.objects.none(),
        required=False,
        empty_label=_("All assessments"),
        help_text=_("An adjustment for one assessment takes the place of one for all."),
    )

    class Meta:
        model = TimeAdjustment
        fields = ["learner", "assessment", "kind", "extra_percent", "note"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Adjustments belong to the original-language assessments, which attempts use.
        queryset = AssessmentPage.objects.filter(locale=Locale.get_default())
        titled = {assessment.pk: assessment for assessment in with_course_titles(queryset)}
        field = self.fields["assessment"]
        field.queryset = queryset
        field.choices = [("", field.empty_label)] + sorted(
            ((pk, assessment.full_title) for pk, assessment in titled.items()),
            key=lambda choice: choice[1],
        )


class IndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("learner", "assessment", "set_by")


class CreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.set_by = self.request.user
        adjustment = super().save_instance()
        save_and_record(adjustment)
        return adjustment


class EditView(generic.EditView):
    def save_instance(self):
        before = describe(
            TimeAdjustment.objects.select_related("learner", "assessment").get(
                pk=self.form.instance.pk
            )
        )
        self.form.instance.set_by = self.request.user
        adjustment = super().save_instance()
        save_and_record(adjustment, before)
        return adjustment


class DeleteView(generic.DeleteView):
    def delete_action(self):
        remove_adjustment(self.object)


class TimeAdjustmentViewSet(ModelViewSet):
    model = TimeAdjustment
    icon = "time"
    menu_label = _("Time adjustments")
    menu_name = "time-adjustments"
    menu_order = 660
    add_to_settings_menu = True
    inspect_view_enabled = False
    copy_view_enabled = False
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
    list_per_page = 50
    list_display = [
        Column("learner", label=_("Learner"), accessor="learner.email"),
        Column("assessment", label=_("Assessment"), accessor="where"),
        Column("label", label=_("Time"), accessor="label"),
        "set_by",
        "set_at",
    ]
    search_fields = ["learner__email", "learner__display_name"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return TimeAdjustmentAdminForm

    def get_permissions_to_register(self):
        # No Django permissions exist for adjustments, so groups can never be given them.
        return super().get_permissions_to_register().none()
