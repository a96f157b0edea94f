import pytest
from wagtail.models import Page

from recognise.editorial.ngo_access import ensure_ngo_access, grant_pages
from tests.factories import OrganisationFactory, UserFactory, make_category, make_course
from tests.signing_in import enrol_totp


class Contributor:
    """An NGO that contributes to a course, its editor, and the course's category."""

    def __init__(self, name, course_title, category_slug):
        self.organisation = OrganisationFactory(name=name, sector="ngo")
        self.course = make_course(course_title, lessons=1)
        self.category = make_category(category_slug)
        self.category.course = self.course
        self.category.save()
        grant_pages(ensure_ngo_access(self.organisation), Page.objects.get(pk=self.course.pk))
        self.editor = UserFactory(role="NGO editor", organisation=self.organisation)
        self.secret = enrol_totp(self.editor)


@pytest.fixture
def contributor(db):
    return Contributor("Demo Children's Charity", "NGOs and the voluntary sector", "ngo")
