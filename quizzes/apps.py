from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    """The question bank, assessments and attempts."""

    name = "quizzes"
    verbose_name = _("Quizzes")
