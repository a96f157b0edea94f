"""The trainer's main path: cohort, CSV invitations, assignment, a recruit finishing."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort
from tests.factories import make_course
from tests.signing_in import links_in
from tests.trainer_jobs import downloaded

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-and-unusual-passphrase"


def test_trainer_journey(force_x, force_y, mail_folder, django_capture_on_commit_callbacks):
    core = make_course("Core course", lessons=2)
    police = make_course("Police course", prerequisites=[core], lessons=2)
    trainer = force_x.client

    trainer.post(
        reverse("cohorts:overview"),
        {"organisation": force_x.organisation.pk, "name": "Spring intake"},
    )
    cohort = Cohort.objects.get(name="Spring intake")
    csv_file = SimpleUploadedFile(
        "intake.csv", b"email\nrecruit.one@example.org\nrecruit.two@example.org\n", "text/csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer.post(
            reverse("cohorts:members", args=[cohort.pk]), {"action": "csv", "csv-file": csv_file}
        )
    report = trainer.get(response["Location"])
    assert [r.outcome for r in report.context["results"]] == ["invited", "invited"]
    due = timezone.localdate() + datetime.timedelta(days=21)
    response = trainer.post(
        reverse("cohorts:assign", args=[cohort.pk]),
        {"courses": [police.pk], "due_date": due.isoformat()},
    )
    assert "Finished" in trainer.get(response["Location"]).content.decode()
    dashboard_url = reverse("cohorts:dashboard", args=[cohort.pk])
    assert trainer.get(dashboard_url).context["summary"].total == 0

    # One recruit signs up from the invitation and confirms their address.
    recruit = Client()
    recruit.post(
        reverse("account_signup"),
        {
            "email": "recruit.one@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Recruit One",
        },
    )
    texts = [path.read_text() for path in mail_folder.iterdir()]
    (confirm,) = [
        link
        for text in texts
        if "To: recruit.one@example.org" in text
        for link in links_in(text)
        if "confirm-email" in link
    ]
    recruit.post(confirm.split("testserver", 1)[1])
    summary = trainer.get(dashboard_url).context["summary"]
    assert (summary.total, summary.not_started) == (1, 1)

    # They start, then finish the core and police courses.
    lessons = list(police.lessons()) + list(core.lessons())
    recruit.post(reverse("learning:complete_lesson", args=[lessons[0].pk]))
    assert trainer.get(dashboard_url).context["summary"].in_progress == 1
    for lesson in lessons[1:]:
        recruit.post(reverse("learning:complete_lesson", args=[lesson.pk]))
    response = trainer.get(dashboard_url)
    assert response.context["summary"].completed == 1
    assert response.context["summary"].completion_rate == 100
    assert sum(count for _week, count in response.context["series"]) == 1

    # Exports and certificates.
    csv_text = b"".join(
        trainer.get(reverse("cohorts:export_csv", args=[cohort.pk])).streaming_content
    ).decode("utf-8-sig")
    assert "Recruit One" in csv_text and "Completed" in csv_text
    xlsx = trainer.post(reverse("cohorts:export_xlsx", args=[cohort.pk]))
    assert downloaded(trainer, xlsx)[:2] == b"PK"
    archive = zipfile.ZipFile(
        io.BytesIO(
            downloaded(trainer, trainer.post(reverse("cohorts:certificates_zip", args=[cohort.pk])))
        )
    )
    assert len(archive.namelist()) == 1

    # The other organisation's trainer sees none of it.
    assert force_y.client.get(dashboard_url).status_code == 404
    assert "Spring intake" not in force_y.client.get(reverse("cohorts:overview")).content.decode()
