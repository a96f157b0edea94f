"""Where a learner goes next: the course to start with, the next item of the course they
were last working on, and the course for their sector once one is complete. The next
item is chosen by progress.next_lesson, the rule the course page's button follows."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from accounts.models import Membership
from core.page_languages import original
from core.page_routing import not_private, reading_language
from courses.models import CoursePage, CourseSector, Enrolment, SectorIndexPage, SectorPage

from .progress import COURSE_ITEM_FIELDS, course_items, current_cycle, next_lesson


@dataclass(frozen=True)
class NextStep:
    course: object
    item: object


def in_reading_language(page):
    """The page in the language being read, or as it is when it has no translation."""
    return page.localized


def each_in_reading_language(pages, fields):
    """Pages of one type in the site's default language, each in the language being read
    where it has a live translation, else as it is, as in_reading_language gives them:
    in one query of `fields`, and none while the default language is read."""
    language = reading_language()
    if not pages or language == get_supported_content_language_variant(settings.LANGUAGE_CODE):
        return list(pages)
    translations = (
        type(pages[0])
        .objects.live()
        .filter(
            translation_key__in=[page.translation_key for page in pages],
            locale__language_code=language,
        )
        .only(*fields)
    )
    found = {translation.translation_key: translation for translation in translations}
    return [found.get(page.translation_key, page) for page in pages]


def with_courses_in_reading_language(records):
    """Records of a course (enrolments, assignments), each given `course_shown`: its
    course in the language being read, to name and link, as each_in_reading_language
    gives them. The records keep their own `course`, the default-language page."""
    shown = each_in_reading_language([record.course for record in records], COURSE_ITEM_FIELDS)
    for record, course in zip(records, shown, strict=True):
        record.course_shown = course
    return records


def core_course():
    """The course other courses ask learners to take first (the one most of them name),
    in the language being read; None when no course is anyone's prerequisite."""
    live_required_by = Q(required_by__live=True)
    course = (
        CoursePage.objects.live()
        .filter(not_private(), locale=Locale.get_default())
        .annotate(needed_by=Count("required_by", filter=live_required_by, distinct=True))
        .filter(needed_by__gt=0)
        .order_by("-needed_by", "title")
        .first()
    )
    return in_reading_language(course) if course else None


def sector_pages():
    """The sector pages in the language being read."""
    return SectorPage.objects.live().filter(not_private(), locale=Locale.get_active())


def sector_index():
    return SectorIndexPage.objects.live().filter(not_private(), locale=Locale.get_active()).first()


def continue_learning(user):
    """The next item of the course the learner worked on most recently and has not
    completed, or None; a fixed number of queries however much they have done."""
    enrolment = (
        Enrolment.objects.filter(user=user, completed_at__isnull=True)
        .select_related("course")
        .order_by("-last_activity_at")
        .first()
    )
    if enrolment is None:
        return None
    course = in_reading_language(enrolment.course)
    done = current_cycle(enrolment, enrolment.course).done
    item = next_lesson(course_items(course), done)
    return NextStep(course=course, item=item) if item else None


def learner_sector(user):
    """The sector of the learner's organisation, when they belong to one."""
    return (
        Membership.objects.filter(user=user)
        .order_by("joined_at")
        .values_list("organisation__sector", flat=True)
        .first()
    )


def course_for_sector(course, sector):
    """The course for this sector that builds on `course`: of the courses for the sector
    that name it as a prerequisite, the one written for the fewest sectors (a sector's
    own course before one for every sector), in the language being read."""
    for_sector = CourseSector.objects.filter(sector=sector).values("course_id")
    candidates = (
        CoursePage.objects.live()
        .filter(not_private(), prerequisites=original(course), pk__in=for_sector)
        .annotate(sector_count=Count("course_sectors", distinct=True))
        .order_by("sector_count", "title")
    )
    found = candidates.first()
    return in_reading_language(found) if found else None


def after_completing(user, course):
    """What the completion panel offers next: the course for the learner's sector, or
    (their sector unknown) the page where they choose one."""
    sector = learner_sector(user)
    if sector:
        return {"next_course": course_for_sector(course, sector), "choose_sector": None}
    return {"next_course": None, "choose_sector": sector_index()}


def completed_course_context(user, course):
    """The completion panel's context when the learner has completed this course, else
    an empty dict."""
    completed = Enrolment.objects.filter(
        user=user, course=original(course), completed_at__isnull=False
    ).exists()
    if not completed:
        return {}
    return {"course_complete": True, **after_completing(user, course)}
