"""xAPI 1.0.3 statements about a learner's own progress.

Verbs are ADL's (http://adlnet.gov/expapi/verbs/...) where ADL has one. A certificate is
"earned" (http://id.tincanapi.com/verb/earned), the verb the xAPI vocabulary lists for
an actor awarded something such as a badge or certificate; ADL defines none for it.
Activities are identified by the absolute address of their page in the site's default
language, so a learner who reads in Welsh adds to the same activity.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy
from wagtail.models import Page

from core.site_urls import absolute_url

PLATFORM = "Recognise"

# Language tags of the statements' language maps, by the site's language codes.
TAGS = {"en": "en-GB", "cy": "cy"}

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
EARNED = "http://id.tincanapi.com/verb/earned"

VERB_NAMES = {
    COMPLETED: pgettext_lazy("xAPI verb", "completed"),
    PASSED: pgettext_lazy("xAPI verb", "passed"),
    FAILED: pgettext_lazy("xAPI verb", "failed"),
    EARNED: pgettext_lazy("xAPI verb", "earned"),
}

LESSON = "http://adlnet.gov/expapi/activities/lesson"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
COURSE = "http://adlnet.gov/expapi/activities/course"


def language_tag(code=None):
    code = (code or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return TAGS.get(code, TAGS[settings.LANGUAGE_CODE])


def in_every_language(text):
    """A language map of a translatable text (or of a function that gives it in the
    active language), in each of the site's languages."""
    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names[language_tag(code)] = str(text() if callable(text) else text)
    return names


def page_url(page):
    parts = page.get_url_parts()
    return absolute_url(parts[2] if parts else f"/{page.slug}/")


def page_names(page):
    """The page's title in English, and in each language it has a live translation in."""
    names = {language_tag(settings.LANGUAGE_CODE): page.title}
    translations = (
        Page.objects.live()
        .filter(translation_key=page.translation_key)
        .exclude(pk=page.pk)
        .values_list("locale__language_code", "title")
    )
    for code, title in translations:
        names.setdefault(language_tag(code), title)
    return names


def activity(page, kind):
    return {
        "objectType": "Activity",
        "id": page_url(page),
        "definition": {"name": page_names(page), "type": kind},
    }


def agent(user):
    return {
        "objectType": "Agent",
        "name": user.display_name or user.email,
        "mbox": f"mailto:{user.email}",
    }


def statement(user, verb, target, when, result=None, parent=None):
    data = {
        "actor": agent(user),
        "verb": {"id": verb, "display": in_every_language(VERB_NAMES[verb])},
        "object": target,
        "timestamp": when.isoformat(),
        "context": {"platform": PLATFORM, "language": language_tag()},
    }
    if result is not None:
        data["result"] = result
    if parent is not None:
        data["context"]["contextActivities"] = {"parent": [parent]}
    return data


def lesson_completed(completion):
    lesson = completion.lesson
    course = lesson.get_parent().specific
    return statement(
        completion.enrolment.user,
        COMPLETED,
        activity(lesson, LESSON),
        completion.completed_at,
        result={"completion": True},
        parent=activity(course, COURSE),
    )


def attempt_marked(attempt):
    assessment = attempt.assessment
    course = assessment.get_parent().specific
    maximum = attempt.max_score or 0
    raw = float(attempt.score or 0)
    score = {"raw": raw, "min": 0, "max": maximum}
    score["scaled"] = round(raw / maximum, 4) if maximum else 0
    return statement(
        attempt.user,
        PASSED if attempt.passed else FAILED,
        activity(assessment, ASSESSMENT),
        attempt.submitted_at,
        result={"score": score, "success": bool(attempt.passed), "completion": True},
        parent=activity(course, COURSE),
    )


def course_completed(enrolment):
    return statement(
        enrolment.user,
        COMPLETED,
        activity(enrolment.course.specific, COURSE),
        enrolment.completed_at,
        result={"completion": True},
    )


def certificate_earned(certificate):
    course = certificate.course.specific
    with translation.override(settings.LANGUAGE_CODE):
        verification_path = certificate.get_verification_url()
    names = in_every_language(
        lambda: gettext("Certificate: %(course)s") % {"course": certificate.course_title}
    )
    return statement(
        certificate.user,
        EARNED,
        {
            "objectType": "Activity",
            # The certificate's public verification page: anyone it is shown to can
            # check it there.
            "id": absolute_url(verification_path),
            "definition": {"name": names},
        },
        certificate.issued_at,
        parent=activity(course, COURSE),
    )
