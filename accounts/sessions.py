"""Session lifetimes: staff are signed out after 30 idle minutes, learners after 8 hours,
and nobody stays signed in past an absolute limit, whatever their activity."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import roles_for

STARTED = "recognise_session_started"
LAST_SEEN = "recognise_session_last_seen"
# Writing the session (a database write) on every request would be wasteful, so activity
# is recorded once the record is a thirtieth of the idle limit old: every minute for
# staff, every 16 minutes for learners. People are signed out a little early rather than
# late: a learner after 7 h 44 min to 8 hours without activity.
RECORDED_FRACTION_OF_LIMIT = 30


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(STARTED, now)
            last_seen = session.get(LAST_SEEN, now)
            idle_limit = (
                settings.SESSION_IDLE_TIMEOUT_STAFF
                if roles_for(user).needs_mfa
                else settings.SESSION_IDLE_TIMEOUT_LEARNER
            )
            if now - last_seen > idle_limit or now - started > settings.SESSION_ABSOLUTE_LIFETIME:
                logout(request)
                messages.info(request, _("You were signed out after a period without activity."))
                return redirect_to_login(request.get_full_path(), reverse("account_login"))
            recorded_every = max(60, idle_limit // RECORDED_FRACTION_OF_LIMIT)
            if now - last_seen >= recorded_every or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)
