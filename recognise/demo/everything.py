"""The whole demo site, in the order its parts depend on each other.

Each loader fills one part and calls no other, so the order is written here alone:
pages before the assessments under them, English before Welsh, organisations before
the accounts, guidance and cohort that belong to them.
"""

from typing import NamedTuple

from django.db import transaction

from .assessments import load_demo_assessments, load_welsh_assessments
from .cohorts import load_demo_cohort
from .courses import load_demo_content
from .guidance import load_demo_guidance
from .home import load_demo_home_page
from .loading import ContentError
from .people import load_demo_accounts, load_demo_organisations
from .translations import load_welsh_demo_pages, load_welsh_guidance


class DemoSite(NamedTuple):
    courses: dict
    organisations: dict
    accounts: list


@transaction.atomic
def load_courses():
    """The sectors and courses, then each course's assessments."""
    try:
        courses = load_demo_content()
        load_demo_assessments(courses)
    except (ContentError, KeyError) as error:
        raise ContentError(f"Demo content could not be loaded: {error}") from error
    return courses


@transaction.atomic
def load_welsh():
    """The Welsh pages, then the Welsh questions of their assessments, then the Welsh
    guidance."""
    load_welsh_demo_pages()
    load_welsh_assessments()
    load_welsh_guidance()


def load_everything():
    load_demo_home_page()
    courses = load_courses()
    organisations = load_demo_organisations()
    accounts = load_demo_accounts(organisations)
    try:
        load_demo_guidance()
    except (ContentError, KeyError) as error:
        raise ContentError(f"Demo guidance could not be loaded: {error}") from error
    load_welsh()
    load_demo_cohort()
    return DemoSite(courses, organisations, accounts)
