"""An assignment's due date as a calendar file (.ics) a learner adds to their calendar."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from core.site_urls import absolute_url


def course_link(course):
    """A full link to the course, in the active language where it is translated."""
    return absolute_url(course.localized.url or course.url)


def calendar_uid(assignment, user):
    # The same for every copy of the file, the email's and My learning's: a calendar
    # that already has the event updates it rather than adding a second one.
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "recognise"
    return f"assignment-{assignment.pk}-learner-{user.pk}@{host}"


def assignment_calendar(assignment, user, due_date=None, course_url=None, course_title=None):
    """The .ics file's bytes: one all-day event on the learner's due date (the
    assignment's unless they have their own), named in the learner's language. The
    course's link and title may be given when already worked out."""
    due_date = due_date or assignment.due_date
    with translation.override(user.preferred_language):
        title = course_title or assignment.course.localized.title
        summary = _("Due: %(course)s") % {"course": title}
        description = _("Complete “%(course)s” on Recognise by this date.") % {"course": title}
        url = course_url or course_link(assignment.course)
    calendar = Calendar()
    calendar.add("prodid", "-//Recognise//Assignments//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", calendar_uid(assignment, user))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", due_date)
    event.add("dtend", due_date + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", f"{description}\n{url}")
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    calendar.add_component(event)
    return calendar.to_ical()


def calendar_filename(assignment, due_date=None):
    return f"due-{(due_date or assignment.due_date).isoformat()}-{assignment.pk}.ics"
