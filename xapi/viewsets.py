"""Learning Record Stores in the Wagtail admin, under Settings: administrators
(superusers) only. The secret is write-only: the form never shows it back."""

from django import forms
from django.db import models
from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from .models import LearningRecordStore, StatementDelivery


def https_by_default(field, **kwargs):
    # An address typed without a scheme is taken as https://, the only one allowed.
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class LearningRecordStoreForm(forms.ModelForm):
    secret = forms.CharField(
        label=_("Secret (password)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown again once saved. Leave empty to keep the secret already saved."),
    )

    class Meta:
        model = LearningRecordStore
        fields = ["organisation", "endpoint", "key", "secret", "enabled"]
        formfield_callback = https_by_default

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved_secret = self.instance.secret if self.instance.pk else ""
        if not self.instance.pk:
            self.fields["secret"].help_text = _("Never shown again once saved.")

    def clean_secret(self):
        secret = self.cleaned_data.get("secret") or ""
        if not secret and not self.saved_secret:
            raise forms.ValidationError(_("Enter the secret the LRS gave you."))
        return secret or self.saved_secret


class LearningRecordStoreIndexView(IndexView):
    """Each store's outbox at a glance, so an administrator sees whether sending works:
    how many statements wait, how many were given up, and when one last arrived."""

    def get_base_queryset(self):
        status = StatementDelivery.Status
        return (
            super()
            .get_base_queryset()
            .select_related("organisation")
            .annotate(
                waiting=Count("deliveries", filter=Q(deliveries__status=status.PENDING)),
                given_up=Count("deliveries", filter=Q(deliveries__status=status.FAILED)),
                last_sent=Max("deliveries__sent_at"),
            )
        )


class LearningRecordStoreViewSet(ModelViewSet):
    model = LearningRecordStore
    form_class = LearningRecordStoreForm
    icon = "link-external"
    menu_label = _("Learning Record Stores")
    menu_name = "learning-record-stores"
    menu_order = 670
    add_to_settings_menu = True
    inspect_view_enabled = False
    copy_view_enabled = False
    list_display = [
        "organisation",
        Column("endpoint", label=_("xAPI endpoint")),
        "enabled",
        Column("waiting", label=_("Waiting to be sent")),
        Column("given_up", label=_("Given up")),
        DateColumn("last_sent", label=_("Last sent")),
    ]
    search_fields = ["organisation__name"]
    search_backend_name = None
    index_view_class = LearningRecordStoreIndexView

    def get_form_class(self, for_update=False):
        return LearningRecordStoreForm

    def get_permissions_to_register(self):
        # Superusers only: no Django permissions exist, so groups can never be given them.
        return super().get_permissions_to_register().none()
