import pytest

from courses.models import Enrolment, LessonCompletion
from learning.progress import update_completion
from tests.factories import UserFactory, make_course


@pytest.fixture
def course(db):
    return make_course("Recognising trafficked children", sectors=["police", "health"], lessons=2)


@pytest.fixture
def complete_course(django_capture_on_commit_callbacks):
    """Complete every lesson of a course for a user, as the learner would, running
    the on-commit work (the certificate email) as a real commit would."""

    def complete(user, course):
        enrolment, _created = Enrolment.objects.get_or_create(user=user, course=course)
        with django_capture_on_commit_callbacks(execute=True):
            for lesson in course.lessons():
                LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)
            update_completion(enrolment)
        enrolment.refresh_from_db()
        return enrolment

    return complete


@pytest.fixture
def holder(db):
    return UserFactory(role="Learner", display_name="Siân Llewelyn-Ŵyn")


@pytest.fixture
def certificate(holder, course, complete_course):
    complete_course(holder, course)
    return holder.certificates.get()
