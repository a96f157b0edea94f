"""Whether any learning platform can launch Recognise at all: asked when a learner's
assessment is marked or course completed, to skip looking for their platform accounts on
the many sites (or for the many learners) that have none. Kept in the cache until a
registration is made, changed or removed (lti/receivers.py)."""

from lti_tool.models import LtiRegistration

from core import cache_versions

PLATFORMS_VERSION = "lti-platforms"


def platforms_in_use():
    return cache_versions.kept(
        "lti:platforms-in-use",
        [PLATFORMS_VERSION],
        LtiRegistration.objects.filter(is_active=True).exists,
        24 * 3600,
    )


def platforms_changed():
    cache_versions.changed(PLATFORMS_VERSION)
