"""Each course appears once in every listing: in the reader's language where it has been
translated, otherwise in English and marked "English only"."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.models import Cohort
from tests.factories import OrganisationFactory, UserFactory, make_course, make_sector_page
from tests.signing_in import enrol_totp, sign_in_with_totp
from tests.site.test_language import welsh_translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def core_in_welsh():
    core = make_course("Core course", lessons=0)
    welsh = welsh_translation(core, "Cwrs craidd")
    make_course("Police course", lessons=0)
    return core, welsh


def cards(client, url):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return page, {
        card.select_one(".card__title").get_text(strip=True): card.select_one(".card__title").get(
            "lang"
        )
        for card in page.select("article.card")
    }


def test_the_english_catalogue_lists_each_course_once(client, core_in_welsh):
    core, _welsh = core_in_welsh
    _page, listed = cards(client, core.get_parent().url)
    assert listed == {"Core course": None, "Police course": None}


def test_the_welsh_catalogue_lists_english_only_courses_marked_and_counted(client, core_in_welsh):
    _core, welsh = core_in_welsh
    page, listed = cards(client, welsh.get_parent().url)
    assert listed == {"Cwrs craidd": None, "Police course": "en"}
    police = next(c for c in page.select("article.card") if "Police" in c.get_text())
    assert police.select_one(".tag").get_text(strip=True) == "Saesneg yn unig"
    # The catalogue says how many are in English only.
    assert "Mae 1 cwrs yn Saesneg yn unig hyd yma." in page.get_text(" ", strip=True)


def test_a_sector_page_lists_each_course_once_in_the_readers_language(client, core_in_welsh):
    sector = make_sector_page("police")
    _page, listed = cards(client, sector.url)
    assert listed == {"Core course": None, "Police course": None}
    welsh_sector = welsh_translation(sector, "Heddlu")
    _page, listed = cards(client, welsh_sector.url)
    assert listed == {"Cwrs craidd": None, "Police course": "en"}


def choices_pk(page, label):
    box = next(
        box
        for box in page.select("input[name=courses]")
        if box.find_parent("label").get_text(strip=True) == label
    )
    return int(box["value"])


def test_trainers_assign_each_course_once_named_in_their_language(client, core_in_welsh):
    core, welsh = core_in_welsh
    organisation = OrganisationFactory()
    trainer = UserFactory(role="Trainer", organisation=organisation, preferred_language="cy")
    sign_in_with_totp(client, trainer, enrol_totp(trainer))
    cohort = Cohort.objects.create(organisation=organisation, name="Intake", created_by=trainer)
    with translation.override("cy"):
        url = reverse("cohorts:assign", args=[cohort.pk])
    page = BeautifulSoup(client.get(url).content, "html.parser")
    choices = {
        int(box["value"]): box.find_parent("label").get_text(strip=True)
        for box in page.select("input[name=courses]")
    }
    assert welsh.pk not in choices
    assert choices == {core.pk: "Cwrs craidd", choices_pk(page, "Police course"): "Police course"}
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    refused = client.post(url, {"courses": [welsh.pk], "due_date": due})
    assert refused.status_code == 200 and not cohort.assignments.exists()
