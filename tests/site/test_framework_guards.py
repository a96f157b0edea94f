"""Guards on the few places that build on Django's internals rather than its public API.

core/prebuilt_sql.py builds a statement with the ORM's compiler once per process
and runs it through a cursor with each request's values in the markers' places (the
certificate download, the learner's figures refresh and a course page's lessons and
assessments, all on measured pages). That
relies on the compiler: that as_sql() gives the SQL and values the ORM itself sends, in
the same order, with a marker value standing where a request's value goes, and that its
select list names the columns a row gives. If a Django upgrade changes any of that,
these tests fail before a learner is given someone else's certificate or wrong figures.
"""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page

from certificates.models import Certificate
from certificates.views import own_certificate_file
from courses.models import Enrolment, LessonCompletion
from learning.progress import course_item_rows, course_item_values, update_completion
from learning.progress_summary import refresh_one, summary_updates
from quizzes.models import Attempt
from tests.factories import UserFactory, make_assessment, make_course, make_lesson

pytestmark = pytest.mark.django_db


@contextmanager
def statements_sent():
    """Every statement sent to the database inside the block, as the cursor is given it."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, list(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield sent


def reading(model, sent):
    """The SELECTs of `model`'s rows among the statements sent (the cache has its own)."""
    table = f"FROM {connection.ops.quote_name(model._meta.db_table)}"
    return [(sql, params) for sql, params in sent if sql.startswith("SELECT") and table in sql]


def updating(model, sent):
    start = f"UPDATE {connection.ops.quote_name(model._meta.db_table)}"
    return [(sql, params) for sql, params in sent if sql.startswith(start)]


@pytest.fixture
def course():
    return make_course("Core course", lessons=2)


def completed(user, course):
    enrolment = Enrolment.objects.create(user=user, course=course)
    for lesson in course.lessons():
        LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson)
    update_completion(enrolment)
    return enrolment


def signed_in_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_a_certificate_download_sends_what_the_orm_sends_and_reads_the_same_row(course):
    holder, other = UserFactory.create_batch(2, role="Learner")
    completed(holder, course)
    certificate = holder.certificates.get()
    Certificate.objects.filter(pk=certificate.pk).update(pdf="certificates/core-course.pdf")

    with statements_sent() as by_orm:
        expected_rows = list(
            Certificate.objects.for_holder(holder.pk)
            .filter(pk=certificate.pk)
            .order_by()
            .values_list("pdf", "code")
        )
    with statements_sent() as prebuilt:
        found = own_certificate_file(signed_in_request(holder), certificate.pk)

    assert reading(Certificate, prebuilt) == reading(Certificate, by_orm)
    assert len(reading(Certificate, prebuilt)) == 1
    assert [(found.pdf.name, found.code)] == expected_rows
    assert found.pk == certificate.pk
    # Fields left out of the statement are read when first used, as with only().
    assert found.course_title == certificate.course_title
    with pytest.raises(Http404):
        own_certificate_file(signed_in_request(other), certificate.pk)


def wrong_figures(enrolment):
    Enrolment.objects.filter(pk=enrolment.pk).update(
        items_done=99, best_score=1, attempted=True, certificate_expires_on=None
    )


def figures(enrolment):
    return Enrolment.objects.filter(pk=enrolment.pk).values(
        "items_done", "best_score", "attempted", "certificate_expires_on"
    )[0]


@pytest.mark.parametrize("by", ["pk", "user_id"])
def test_a_figures_refresh_sends_what_the_orm_sends_and_sets_the_same_figures(course, by):
    learner, other = UserFactory.create_batch(2, role="Learner")
    enrolment = completed(learner, course)
    untouched = completed(other, course)
    updates = summary_updates(course.path, LessonCompletion, Attempt)
    if by == "pk":
        chosen, value = Enrolment.objects.filter(pk=enrolment.pk), enrolment.pk
    else:
        # Filtered in the order the prebuilt statement is, so the SQL reads the same.
        chosen = Enrolment.objects.filter(user_id=learner.pk).filter(course__path=course.path)
        value = learner.pk

    wrong_figures(enrolment)
    wrong_figures(untouched)
    with statements_sent() as by_orm:
        assert chosen.update(**updates) == 1
    by_orm_figures = figures(enrolment)

    wrong_figures(enrolment)
    with statements_sent() as prebuilt:
        assert refresh_one(course.path, **{by: value}) == 1

    assert updating(Enrolment, prebuilt) == updating(Enrolment, by_orm)
    assert len(updating(Enrolment, prebuilt)) == 1
    assert figures(enrolment) == by_orm_figures
    assert by_orm_figures["items_done"] == 2
    assert (by_orm_figures["best_score"], by_orm_figures["attempted"]) == (None, False)
    # Only the chosen learner's enrolment was refreshed.
    assert figures(untouched)["items_done"] == 99


def test_a_course_pages_items_are_read_with_what_the_orm_sends_and_as_it_gives_them(course):
    make_lesson(course, "Further reading", required=False)
    make_lesson(course, "Withdrawn lesson", live=False)
    make_assessment(course)
    other = make_course("Another course", lessons=1)

    with statements_sent() as by_orm:
        expected = list(course_item_rows(course.path, course.depth + 1, Q()))
    with statements_sent() as prebuilt:
        found = course_item_values(course)

    assert reading(Page, prebuilt) == reading(Page, by_orm)
    assert len(reading(Page, prebuilt)) == 1
    # The same values of the same types (a translation key a UUID, a flag a bool).
    assert found == expected
    assert [type(value) for value in found[0]] == [type(value) for value in expected[0]]
    assert [row[3] for row in found] == [
        "Core course lesson 1",
        "Core course lesson 2",
        "Further reading",
        "Final assessment",
    ]
    assert [row[3] for row in course_item_values(other)] == ["Another course lesson 1"]
