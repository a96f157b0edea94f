"""The learner's main path on the demo content, as a new practitioner would take it."""

import pytest
from django.urls import reverse

from courses.models import CoursePage, SectorPage
from quizzes.models import AssessmentPage
from tests.signing_in import links_in, sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


def test_new_learner_journey(client, mail_folder, demo_data):
    # Sign up and verify from the mail file.
    client.post(
        reverse("account_signup"),
        {
            "email": "officer@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "New Officer",
        },
    )
    (mail,) = [
        text
        for text in (path.read_text() for path in mail_folder.iterdir())
        if "To: officer@example.org" in text
    ]
    (link,) = [link for link in links_in(mail) if "confirm-email" in link]
    client.post(link.split("testserver", 1)[1])

    # Find the police course from the police sector page.
    police_sector = SectorPage.objects.get(sector="police", locale__language_code="en")
    sector_page = client.get(police_sector.url).content.decode()
    police_course = CoursePage.objects.get(slug="police", locale__language_code="en")
    assert police_course.url in sector_page

    # Be told to take the core course first.
    response = client.post(reverse("learning:enrol", args=[police_course.pk]), follow=True)
    core = CoursePage.objects.get(slug="recognising-and-responding", locale__language_code="en")
    assert f"Take “{core.title}” first" in response.content.decode()

    # Enrol in the core course and work through some of it.
    client.post(reverse("learning:enrol", args=[core.pk]))
    lessons = list(core.lessons())
    total = (
        len(lessons) + 1
    )  # the lessons and the final assessment; the knowledge check is optional
    response = client.post(reverse("learning:complete_lesson", args=[lessons[0].pk]))
    # Straight on to the short knowledge check that follows each lesson.
    check = AssessmentPage.objects.child_of(core).get(slug="knowledge-check")
    assert response.url == check.url
    lesson_page = client.get(lessons[1].url).content.decode()
    assert "Sources" in lesson_page
    assert f"1 of {total} required items complete" in client.get(core.url).content.decode()
    client.post(reverse("learning:complete_lesson", args=[lessons[1].pk]))
    my_learning = client.get(reverse("learning:my_learning")).content.decode()
    assert f"2 of {total} required items complete" in my_learning

    # Sign out, back in, and carry on where they left off.
    client.post(reverse("account_logout"))
    sign_in(client, "officer@example.org", PASSWORD)
    course_page = client.get(core.url).content.decode()
    assert f"Continue where you left off: {lessons[2].title}" in course_page

    for lesson in lessons[2:]:
        client.post(reverse("learning:complete_lesson", args=[lesson.pk]))
    page = client.get(core.url).content.decode()
    assert f"{total - 1} of {total} required items complete" in page
    assert "Final assessment" in page
