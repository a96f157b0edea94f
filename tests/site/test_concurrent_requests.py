"""Twenty simultaneous requests at each write a learner makes, against a real server.

A learner who double-clicks, or a flaky connection that resends, must never see a
server error, and each action must take effect once: one enrolment, one completion,
one attempt started, the answers kept, one marked result and one certificate. The
server is gunicorn (two processes with ten threads each, so the twenty requests are
served at the same time) on a database of its own: SQLite with the settings `make run`
serves, or PostgreSQL when DATABASE_URL points there.
"""

import uuid
from collections import Counter

import pytest

from recognise.demo.people import DEMO_PASSWORD
from tests.live_http import SIMULTANEOUS, Browser, facts


@pytest.fixture(scope="module")
def server(live_site):
    # Forty answer posts in a few seconds is this test's point, not abuse to limit.
    live_site.env["RATE_LIMIT_QUIZ_ANSWERS"] = "1000"
    live_site.log_path = live_site.folder / "gunicorn-concurrent.log"
    live_site.start(workers=2, threads=SIMULTANEOUS // 2)
    yield live_site
    live_site.stop()
    del live_site.env["RATE_LIMIT_QUIZ_ANSWERS"]


def assert_answered(server, statuses, expected=302):
    """Every request was answered as one would be on its own, none with a server error."""
    assert Counter(statuses) == {expected: SIMULTANEOUS}, server.log_path.read_text()[-2000:]


def course_to_take(server):
    return facts(
        server,
        "from courses.models import CoursePage, LessonPage\n"
        "from quizzes.models import AssessmentPage\n"
        "course = next(c for c in CoursePage.objects.live().filter(locale__language_code='en')"
        " if not c.prerequisites.exists() and c.get_children().live().type(LessonPage).exists())\n"
        "result = {'id': course.pk, 'url': course.url,"
        " 'lessons': [p.pk for p in course.get_children().live().type(LessonPage)"
        " .order_by('path')],"
        " 'final': [p.pk for p in AssessmentPage.objects.child_of(course).live()"
        " if p.kind == 'final']}",
    )


def right_answers(keys):
    """The form fields that answer every question of a paper correctly."""
    answers = {}
    for question_id, key in keys.items():
        if key["kind"] == "ordering":
            for position, option_id in enumerate(key["options"], start=1):
                answers[f"q{question_id}-{option_id}"] = str(position)
        else:
            answers[f"q{question_id}"] = [str(option_id) for option_id in key["correct"]]
    return answers


def test_simultaneous_writes_never_fail_and_take_effect_once(server):
    email = f"double-click-{uuid.uuid4().hex[:8]}@example.org"
    server.create_learner(email, "Double Click", DEMO_PASSWORD)
    course = course_to_take(server)
    learner = Browser(server.port)
    learner.sign_in(email, DEMO_PASSWORD)
    # Signing in rotates the CSRF token; the course page's enrol form holds the new one.
    assert learner.request("GET", course["url"])[0] == 200
    enrolments = (
        "from courses.models import Enrolment\n"
        f"enrolments = Enrolment.objects.filter(user__email={email!r}, course_id={course['id']})\n"
    )

    assert_answered(server, learner.post_together(f"/en/learning/enrol/{course['id']}/", {}))
    assert facts(server, enrolments + "result = enrolments.count()") == 1

    first, *others = course["lessons"]
    assert_answered(server, learner.post_together(f"/en/learning/lessons/{first}/complete/", {}))
    assert facts(server, enrolments + "result = enrolments.get().completions.count()") == 1
    for lesson in others:
        assert learner.request("POST", f"/en/learning/lessons/{lesson}/complete/", {})[0] == 302

    (final,) = course["final"]
    assert_answered(server, learner.post_together(f"/en/learning/assessments/{final}/start/", {}))
    attempts = (
        "from quizzes.models import Attempt, AttemptAnswer\n"
        f"attempts = Attempt.objects.filter(user__email={email!r}, assessment_id={final})\n"
    )
    started = facts(server, attempts + "result = [[str(a.pk), a.keys] for a in attempts]")
    assert len(started) == 1
    ((attempt_id, keys),) = started
    answers = right_answers(keys)

    assert_answered(server, learner.post_together(f"/en/learning/attempts/{attempt_id}/", answers))
    saved = facts(
        server, attempts + "a = attempts.get()\nresult = [a.submitted_at is None, len(a.answers)]"
    )
    assert saved == [True, len(keys)]

    assert_answered(
        server,
        learner.post_together(f"/en/learning/attempts/{attempt_id}/", {**answers, "submit": "1"}),
    )
    marked = facts(
        server,
        attempts + enrolments + "from certificates.models import Certificate\n"
        "a = attempts.get()\n"
        "result = {'submitted': attempts.filter(submitted_at__isnull=False).count(),"
        " 'percent': float(a.percent),"
        " 'marked answers': AttemptAnswer.objects.filter(attempt=a).count(),"
        " 'completed': enrolments.get().completed_at is not None,"
        " 'certificates': Certificate.objects.filter(enrolment__in=enrolments).count()}",
    )
    assert marked == {
        "submitted": 1,
        "percent": 100.0,
        "marked answers": len(keys),
        "completed": True,
        "certificates": 1,
    }
    assert "database is locked" not in server.log_path.read_text()
