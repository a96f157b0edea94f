"""`manage.py check_restore` passes on a whole installation and fails, naming what is
wrong, when a stored file is missing, the signing key is not the published one, the
secret key is not the one the sessions were signed with, or migrations are missing."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from certificates import openbadges
from courses.models import Enrolment, LessonCompletion
from learning.progress import update_completion
from recognise.settings.signing_key import new_signing_key
from tests.factories import UserFactory, make_course
from tests.signing_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def installation(tmp_path, django_capture_on_commit_callbacks):
    """A certificate with its PDF, an image with a rendition and a document, and a saved
    copy of the key set the site published."""
    learner = UserFactory(role="Learner")
    course = make_course("Recognising trafficked children", lessons=1)
    enrolment = Enrolment.objects.create(user=learner, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in course.lessons():
            LessonCompletion.objects.create(enrolment=enrolment, lesson=lesson)
        update_completion(enrolment)
    certificate = learner.certificates.get()
    assert certificate.pdf.storage.exists(certificate.pdf.name)

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    image = get_image_model().objects.create(
        title="Map", file=ContentFile(buffer.getvalue(), name="map.png")
    )
    rendition = image.get_rendition("fill-20x20")
    document = get_document_model().objects.create(
        title="Leaflet", file=ContentFile(b"leaflet", name="leaflet.txt")
    )
    published = tmp_path / "jwks.json"
    published.write_text(json.dumps(Client().get("/.well-known/jwks.json").json()))
    return {
        "certificate": certificate,
        "image": image,
        "rendition": rendition,
        "document": document,
        "published": str(published),
    }


def check_restore(published):
    out = io.StringIO()
    try:
        call_command("check_restore", published_jwks=published, stdout=out, no_color=True)
    except CommandError as error:
        return False, out.getvalue(), str(error)
    return True, out.getvalue(), ""


def test_a_whole_installation_passes(installation):
    passed, report, _ = check_restore(installation["published"])
    assert passed, report
    assert "OK    Database: answers" in report
    assert "every migration is applied" in report
    assert "OK    SECRET_KEY: set" in report
    kid = openbadges.public_jwk()["kid"]
    assert f"OK    Signing key: key {kid} matches {installation['published']}" in report
    assert (
        "OK    Stored files: all present: 1 certificate PDFs, 1 images, 1 image renditions, "
        "1 documents"
    ) in report
    assert "The restored installation is whole." in report


@pytest.mark.parametrize(
    ("lost", "kind"),
    [
        ("certificate", "certificate PDFs"),
        ("image", "images"),
        ("rendition", "image renditions"),
        ("document", "documents"),
    ],
)
def test_a_missing_file_fails_and_is_named(installation, lost, kind):
    stored = installation[lost]
    file = stored.pdf if lost == "certificate" else stored.file
    file.storage.delete(file.name)
    passed, report, error = check_restore(installation["published"])
    assert not passed
    assert f"FAIL  Stored files: 1 of 1 {kind} missing from storage: {file.name}" in report
    assert error == "The restore check failed: Stored files."


def test_a_signing_key_that_is_not_the_published_one_fails(installation, settings):
    published_kid = openbadges.public_jwk()["kid"]
    settings.OPENBADGES_PRIVATE_KEY = new_signing_key()
    restored_kid = openbadges.public_jwk()["kid"]
    passed, report, error = check_restore(installation["published"])
    assert not passed
    assert (
        f"FAIL  Signing key: OPENBADGES_PRIVATE_KEY does not match the published key set at "
        f"{installation['published']}: this installation signs with key {restored_kid}, "
        f"the published key set holds {published_kid}."
    ) in report
    assert error == "The restore check failed: Signing key."


def test_a_missing_signing_key_fails(installation, settings):
    settings.OPENBADGES_PRIVATE_KEY = ""
    passed, report, _ = check_restore(installation["published"])
    assert not passed
    assert "FAIL  Signing key: OPENBADGES_PRIVATE_KEY cannot be used" in report


def test_a_published_key_set_that_cannot_be_read_fails(installation, tmp_path):
    missing = tmp_path / "nowhere.json"
    passed, report, _ = check_restore(str(missing))
    assert not passed
    assert f"FAIL  Signing key: the published key set could not be read from {missing}" in report


def test_a_secret_key_other_than_the_sessions_one_fails(installation, settings, learner):
    sign_in(Client(), learner.email)
    assert check_restore(installation["published"])[0]
    settings.SECRET_KEY = "a-different-secret-key-than-the-one-the-backup-used-1234567890"
    passed, report, error = check_restore(installation["published"])
    assert not passed
    assert "FAIL  SECRET_KEY: SECRET_KEY is set but is not the key the stored sessions" in report


def test_an_unset_secret_key_fails(installation, settings):
    settings.SECRET_KEY = ""
    passed, report, _ = check_restore(installation["published"])
    assert not passed
    assert "FAIL  SECRET_KEY: SECRET_KEY is not set" in report


def test_missing_migrations_fail(installation):
    # A database restored from before the latest release.
    ((app, latest),) = MigrationLoader(connection).graph.leaf_nodes("certificates")
    MigrationRecorder(connection).migration_qs.filter(app=app, name=latest).delete()
    passed, report, error = check_restore(installation["published"])
    assert not passed
    assert (
        f"FAIL  Database: 1 migration(s) not applied (run manage.py migrate): certificates.{latest}"
    ) in report
    assert error == "The restore check failed: Database."
