import html
import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page

from courses.models import Enrolment, LessonCompletion
from learning.progress import update_completion
from tests.factories import UserFactory, make_course, welsh_translation
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


def switch(client, language, next_url):
    return client.post(reverse("switch_language"), {"language": language, "next": next_url})


def switch_link(page, language):
    """The address the language switcher's link for visitors who are not signed in goes to."""
    found = re.search(rf'<a href="([^"]+)" lang="{language}" hreflang="{language}">', page)
    return html.unescape(found[1]) if found else None


def follow_switch_link(client, url, language):
    link = switch_link(client.get(url).content.decode(), language)
    assert link, url
    return client.get(link)


def test_every_page_has_a_language_switcher(client):
    course = make_course("Core course")
    urls = ["/en/", course.url, reverse("account_login"), reverse("certificates:verify_form")]
    for url in urls:
        assert switch_link(client.get(url).content.decode(), "cy"), url
    learner = UserFactory(role="Learner")
    sign_in(client, learner.email)
    signed_in_urls = ["/en/", course.url, reverse("accounts:profile"), urls[-1]]
    for url in signed_in_urls:
        assert 'name="language" value="cy"' in client.get(url).content.decode(), url


def test_a_visitors_link_leads_to_the_welsh_translation_and_back(client):
    course = make_course("Core course")
    welsh = welsh_translation(course, "Cwrs craidd")
    response = follow_switch_link(client, course.url, "cy")
    assert response.status_code == 302
    assert response.url == welsh.url
    page = client.get(response.url).content.decode()
    assert '<html lang="cy">' in page and "Cwrs craidd" in page
    back = follow_switch_link(client, welsh.url, "en")
    assert back.url == course.url


def test_a_visitors_link_keeps_the_choice_for_addresses_without_a_language(client):
    response = follow_switch_link(client, reverse("certificates:verify_form"), "cy")
    assert response.url == "/cy/verify/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    assert client.get("/").url == "/cy/"


def test_a_visitors_link_to_a_page_with_no_welsh_version_says_so(client):
    course = make_course("Core course")
    welsh_translation(course.get_parent(), "Cyrsiau")
    response = follow_switch_link(client, course.url, "cy")
    assert response.url == course.url
    page = client.get(response.url).content.decode()
    assert "Nid yw&#x27;r dudalen hon ar gael yn yr iaith hon eto." in page


def test_a_link_changes_nothing_on_the_account(client):
    learner = UserFactory(role="Learner")
    sign_in(client, learner.email)
    response = client.get(reverse("switch_language"), {"language": "cy", "next": "/en/"})
    assert response.url == "/cy/"
    learner.refresh_from_db()
    assert learner.preferred_language == "en"


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
    course = make_course("Core course")
    welsh = Locale.objects.get_or_create(language_code="cy")[0]
    home = Page.objects.get(depth=2, locale=Locale.get_default()).specific
    home.copy_for_translation(welsh).save_revision().publish()
    response = switch(client, "cy", course.url)
    assert response.url == course.url
    page = client.get(response.url).content.decode()
    assert "Nid yw&#x27;r dudalen hon ar gael yn yr iaith hon eto." in page
