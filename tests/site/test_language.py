import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory, make_course
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


def switch(client, language, next_url):
    return client.post(reverse("switch_language"), {"language": language, "next": next_url})


def test_every_page_has_a_language_switcher(client):
    course = make_course("Core course")
    for url in ["/en/", course.url, reverse("account_login"), reverse("certificates:verify_form")]:
        page = client.get(url).content.decode()
        assert 'name="language" value="cy"' in page, url


def test_switching_keeps_the_learner_on_the_same_page(client):
    course = make_course("Core course")
    assert course.url.startswith("/en/")
    response = switch(client, "cy", course.url)
    assert response.status_code == 302
    assert response.url == course.url.replace("/en/", "/cy/", 1)
    page = client.get(response.url)
    assert page.status_code == 200
    assert '<html lang="cy">' in page.content.decode()
    back = switch(client, "en", response.url)
    assert back.url == course.url


def test_switching_never_redirects_off_site(client):
    response = switch(client, "cy", "https://evil.example/")
    assert response.url in ("/", "/cy/")


def test_unknown_language_falls_back_to_english(client):
    response = switch(client, "xx", "/en/")
    assert response.url == "/en/"


def test_signed_in_choice_is_saved_and_used_for_emails(client, django_capture_on_commit_callbacks):
    learner = UserFactory(role="Learner")
    sign_in(client, learner.email)
    switch(client, "cy", "/en/")
    learner.refresh_from_db()
    assert learner.preferred_language == "cy"

    from courses.models import Enrolment, LessonCompletion
    from learning.progress import update_completion

    course = make_course("Core course", lessons=1)
    enrolment = Enrolment.objects.create(user=learner, course=course)
    LessonCompletion.objects.create(enrolment=enrolment, lesson=course.lessons().first())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        update_completion(enrolment)
    (message,) = mail.outbox
    with translation.override("cy"):
        assert translation.gettext("See and download your certificate:") in message.body
    assert "/cy/certificates/" in message.body


def test_staff_areas_are_guarded_in_welsh_too(client):
    trainer = UserFactory(role="Trainer")
    sign_in(client, trainer.email)
    response = client.get("/cy/trainer/")
    assert response.status_code == 302
    assert response.url.endswith(reverse("mfa_activate_totp").split("/", 2)[2])


def test_switching_works_whatever_language_was_chosen_before(client):
    course = make_course("Core course")
    client.cookies["django_language"] = "cy"
    response = switch(client, "cy", course.url)
    assert response.url == course.url.replace("/en/", "/cy/", 1)


def test_page_with_no_welsh_version_stays_in_english_and_says_so(client):
    from wagtail.models import Locale, Page

    course = make_course("Core course")
    welsh = Locale.objects.get_or_create(language_code="cy")[0]
    home = Page.objects.get(depth=2, locale=Locale.get_default()).specific
    home.copy_for_translation(welsh).save_revision().publish()
    response = switch(client, "cy", course.url)
    assert response.url == course.url
    page = client.get(response.url).content.decode()
    assert "Nid yw&#x27;r dudalen hon ar gael yn yr iaith hon eto." in page
