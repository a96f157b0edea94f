"""The admin view where a publisher marks a published change to a course as significant."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from courses.models import CoursePage

from .models import SignificantChange
from .significant_changes import mark_significant_change, recent_publications


def publication_label(entry):
    when = formats.date_format(timezone.localtime(entry.timestamp), "j F Y, H:i")
    by = (entry.user.display_name or entry.user.email) if entry.user else _("unknown")
    return _("“%(page)s” published %(when)s by %(by)s") % {
        "page": entry.label or entry.page.title,
        "when": when,
        "by": by,
    }


class SignificantChangeForm(forms.Form):
    publication = forms.TypedChoiceField(
        label=gettext_lazy("Which published version made the change?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose the published version that made the change."),
            "invalid_choice": gettext_lazy("Choose one of the published versions listed."),
        },
    )
    summary = forms.CharField(
        label=gettext_lazy("What changed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        help_text=gettext_lazy(
            "Shown to certificate holders by email and on My learning, for example "
            "“The law changed: …”. Write it for practitioners, in plain words."
        ),
        error_messages={"required": gettext_lazy("Say what changed.")},
    )

    def __init__(self, *args, publications, **kwargs):
        super().__init__(*args, **kwargs)
        self.publications = {entry.pk: entry for entry in publications}
        self.fields["publication"].choices = [
            (entry.pk, publication_label(entry)) for entry in publications
        ]


def mark(request, course_id):
    """Publishers of the course only: NGO editors and reviewers cannot publish it."""
    course = get_object_or_404(CoursePage, pk=course_id)
    if not course.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    publications = list(recent_publications(course))
    form = SignificantChangeForm(request.POST or None, publications=publications)
    if request.method == "POST" and form.is_valid():
        entry = form.publications[form.cleaned_data["publication"]]
        change, created = mark_significant_change(
            course, entry, form.cleaned_data["summary"], request.user
        )
        if created:
            told = change.notices.count()
            messages.success(
                request,
                ngettext(
                    "The change is recorded. %(count)d certificate holder will be told.",
                    "The change is recorded. %(count)d certificate holders will be told.",
                    told,
                )
                % {"count": told},
            )
        else:
            messages.warning(request, _("That version was already marked as a significant change."))
        return redirect("certificates_significant_change", course.pk)
    return TemplateResponse(
        request,
        "certificates/admin/significant_change.html",
        {
            "course": course,
            "form": form,
            "changes": SignificantChange.objects.filter(course=course).select_related("marked_by"),
        },
    )
