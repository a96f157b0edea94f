"""The GOV.UK error summary and the "Error: " the page title starts with, for every form
on the page that failed validation, found in the template's context (a form, or a form in
a dict of forms), so no page repeats them. A page whose field is not a Django form's
passes its message as `error` with `error_target`, the id of the field it is about."""

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()


def failed_forms(context):
    found = []
    # By type, not isinstance: isinstance would evaluate the context's lazy values (the
    # CSRF token, the user), which would read the database and mark a public page private.
    for value in context.flatten().values():
        candidates = value.values() if type(value) is dict else (value,)
        for candidate in candidates:
            if (
                issubclass(type(candidate), forms.BaseForm)
                and candidate.is_bound
                and candidate.errors
                and not any(candidate is form for form in found)
            ):
                found.append(candidate)
    return found


def input_id(field):
    """The id of the input a field's error links to: its first box or choice when it
    has several."""
    if isinstance(field.field.widget, forms.MultiWidget | forms.RadioSelect):
        return f"{field.auto_id}_0"
    if isinstance(field.field.widget, forms.CheckboxSelectMultiple):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


def summary_items(form):
    visible = form.visible_fields()
    first = input_id(visible[0]) if visible else ""
    items = [(str(error), first) for error in form.non_field_errors()]
    for field in form:
        target = first if field.is_hidden else input_id(field)
        items.extend((str(error), target) for error in field.errors)
    return items


def page_errors(context):
    errors = [item for form in failed_forms(context) for item in summary_items(form)]
    if context.get("error") and context.get("error_target"):
        errors.append((str(context["error"]), context["error_target"]))
    return errors


@register.simple_tag(takes_context=True)
def error_title_prefix(context):
    return _("Error:") + " " if page_errors(context) else ""


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context):
    return {"errors": page_errors(context)}
