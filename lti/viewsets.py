"""LTI platforms in the Wagtail admin, under Settings: administrators (superusers) only.

The form holds what the platform's administrator gives (issuer, client id, deployment
ids and the platform's three addresses) and keeps it in django-lti's registration; the
edit page shows the tool's own addresses for them to copy into the platform."""

from django import forms
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from lti_tool.models import LtiDeployment, LtiRegistration
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.models import Organisation
from core.site_urls import absolute_url

from .keys import signing_key
from .models import GradeDelivery, PlatformRegistration


def deployment_ids_in(text):
    return sorted({line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()})


def tool_addresses(platform):
    """What the platform's administrator copies into the platform."""
    addresses = {
        _("Public keyset URL"): absolute_url(reverse("lti:jwks")),
        _("Tool URL and redirection URI (launch)"): absolute_url(reverse("lti:launch")),
    }
    if platform is not None and platform.pk:
        addresses[_("Initiate login URL")] = absolute_url(
            reverse("lti:login", args=[platform.registration.uuid])
        )
    return addresses


class PlatformRegistrationForm(forms.ModelForm):
    issuer = forms.URLField(
        label=_("Platform ID (issuer)"),
        max_length=255,
        assume_scheme="https",
        help_text=_("Moodle: the site's address, e.g. https://moodle.example.org"),
    )
    client_id = forms.CharField(label=_("Client ID"), max_length=255)
    deployment_ids = forms.CharField(
        label=_("Deployment IDs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line. Launches from any other deployment are refused."),
    )
    keyset_url = forms.URLField(label=_("Public keyset URL"), max_length=200, assume_scheme="https")
    auth_url = forms.URLField(
        label=_("Authentication request URL"), max_length=200, assume_scheme="https"
    )
    token_url = forms.URLField(label=_("Access token URL"), max_length=200, assume_scheme="https")
    enabled = forms.BooleanField(label=_("Accept launches"), required=False, initial=True)

    class Meta:
        model = PlatformRegistration
        fields = ["organisation", "allow_framing"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        if self.instance.pk:
            registration = self.instance.registration
            for name in ("issuer", "client_id", "keyset_url", "auth_url", "token_url"):
                self.initial[name] = getattr(registration, name)
            self.initial["enabled"] = registration.is_active
            self.initial["deployment_ids"] = "\n".join(
                registration.deployments.filter(is_active=True)
                .order_by("deployment_id")
                .values_list("deployment_id", flat=True)
            )
        self.tool_addresses = tool_addresses(self.instance)

    def clean(self):
        cleaned = super().clean()
        issuer, client_id = cleaned.get("issuer"), cleaned.get("client_id")
        if issuer and client_id:
            others = LtiRegistration.objects.filter(issuer=issuer, client_id=client_id)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.registration_id)
            if others.exists():
                raise forms.ValidationError(
                    _("This platform and client ID are registered already.")
                )
        if "deployment_ids" in cleaned and not deployment_ids_in(cleaned["deployment_ids"]):
            self.add_error("deployment_ids", _("Enter at least one deployment ID."))
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        platform = super().save(commit=False)
        registration = platform.registration if platform.pk else LtiRegistration()
        registration.name = str(self.cleaned_data["organisation"])[:255]
        for name in ("issuer", "client_id", "keyset_url", "auth_url", "token_url"):
            setattr(registration, name, self.cleaned_data[name])
        registration.is_active = self.cleaned_data["enabled"]
        registration.save()
        platform.registration = registration
        platform.save()
        wanted = deployment_ids_in(self.cleaned_data["deployment_ids"])
        registration.deployments.exclude(deployment_id__in=wanted).update(is_active=False)
        for deployment_id in wanted:
            LtiDeployment.objects.update_or_create(
                registration=registration,
                deployment_id=deployment_id,
                defaults={"is_active": True},
            )
        # The tool's key exists before the platform first asks for it.
        signing_key()
        self.tool_addresses = tool_addresses(platform)
        return platform


class PlatformRegistrationIndexView(IndexView):
    """Each platform's outbox of scores at a glance, so an administrator sees whether
    grades reach the platform: how many wait, how many were given up, and when one last
    arrived. One query, however many scores there are."""

    def get_base_queryset(self):
        scores = (
            GradeDelivery.objects.filter(lti_user__registration=OuterRef("registration"))
            .order_by()
            .values("lti_user__registration")
        )

        def counted(status):
            count = scores.filter(status=status).annotate(count=Count("pk")).values("count")
            return Coalesce(Subquery(count), 0)

        last_sent = scores.annotate(at=Max("sent_at")).values("at")
        return (
            super()
            .get_base_queryset()
            .select_related("organisation", "registration")
            .annotate(
                waiting=counted(GradeDelivery.Status.PENDING),
                given_up=counted(GradeDelivery.Status.FAILED),
                last_sent=Subquery(last_sent),
            )
        )


class PlatformRegistrationViewSet(ModelViewSet):
    model = PlatformRegistration
    form_class = PlatformRegistrationForm
    icon = "link-external"
    menu_label = _("LTI platforms")
    menu_name = "lti-platforms"
    menu_order = 680
    add_to_settings_menu = True
    inspect_view_enabled = False
    copy_view_enabled = False
    list_display = [
        "organisation",
        Column("registration", label=_("Platform")),
        "allow_framing",
        Column("waiting", label=_("Scores waiting to be sent")),
        Column("given_up", label=_("Scores given up")),
        DateColumn("last_sent", label=_("Last score sent")),
    ]
    search_fields = ["organisation__name"]
    search_backend_name = None
    index_view_class = PlatformRegistrationIndexView
    create_template_name = "lti/admin/platform_create.html"
    edit_template_name = "lti/admin/platform_edit.html"

    def get_form_class(self, for_update=False):
        return PlatformRegistrationForm

    def get_permissions_to_register(self):
        # Superusers only: no Django permissions exist, so groups can never be given them.
        return super().get_permissions_to_register().none()
