"""Who may edit which question or scenario group in the bank.

The rule: a question belongs to the course of its category (QuestionCategory.course),
in every language (a category's translations share its translation key, and so do a
course's); so does a scenario group (its stem). People who may add or change them but
not publish them (NGO editors) reach only those of courses their organisation
contributes to, that is the courses whose pages they may change
(recognise/editorial/ngo_access.py grants them). A category with no course belongs to
no contributor: only publishers edit it.

Publishers, superusers and people who may only read the bank (safeguarding reviewers)
see every question and stem. Whatever anyone saves without the publish permission
stays a draft until it has been through the review workflow (safeguarding review, then
publication approval) or a publisher publishes it.

The rule is kept in the queryset of a permission policy, so that the snippet's
listing, chooser and every view that takes an object's id respect it.
"""

from functools import wraps

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

WRITE_ACTIONS = ["add", "change"]


def is_scoped(user, model_name="question"):
    """Whether the user writes questions (or `model_name`s) without publishing them."""
    if not user.is_active or user.is_superuser:
        return False
    return not user.has_perm(f"quizzes.publish_{model_name}") and any(
        user.has_perm(f"quizzes.{action}_{model_name}") for action in WRITE_ACTIONS
    )


def contributed_course_keys(user):
    """Translation keys of the courses whose pages the user may change."""
    # The course model, reached through the category's link to it: the question bank
    # does not import the courses app (and its models import this module's users).
    category = apps.get_model("quizzes", "QuestionCategory")
    course_model = category._meta.get_field("course").related_model
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return course_model.objects.filter(pk__in=editable.values("pk")).values("translation_key")


def categories_for(user, queryset):
    """The categories a scoped user may put questions in."""
    if not is_scoped(user):
        return queryset
    return queryset.filter(course__translation_key__in=contributed_course_keys(user))


def questions_for(user, queryset):
    """The questions (or scenario groups) of `queryset` the user may see and work on in
    the admin."""
    if not is_scoped(user, queryset.model._meta.model_name):
        return queryset
    return queryset.filter(category__course__translation_key__in=contributed_course_keys(user))


class QuestionPermissionPolicy(ModelPermissionPolicy):
    """The model permissions, narrowed to the user's courses for NGO editors (for
    questions and for scenario groups)."""

    def instances_user_has_any_permission_for(self, user, actions):
        return questions_for(user, super().instances_user_has_any_permission_for(user, actions))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not self.user_has_any_permission(user, actions):
            return False
        if not is_scoped(user, self.model._meta.model_name):
            return True
        return questions_for(user, self.model._default_manager.filter(pk=instance.pk)).exists()


def only_own_questions(view, model):
    """Wrap an admin view that takes a question's (or scenario group's) id (`pk`): a
    scoped user asking for one outside their courses gets 404 before the view runs,
    whatever the view is (edit, history, revisions, usage, unpublish, workflow, ...)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if "pk" in kwargs and is_scoped(request.user, model._meta.model_name):
            try:
                pk = model._meta.pk.to_python(unquote(str(kwargs["pk"])))
            except ValidationError:
                raise Http404 from None
            if not questions_for(request.user, model._default_manager.filter(pk=pk)).exists():
                raise Http404
        return view(request, *args, **kwargs)

    return guarded
