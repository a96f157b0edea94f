"""Certificate PDFs live in private storage; editors' images are served in production.

With local storage as production has it (files on disk, DEBUG off): a certificate's PDF
is written outside MEDIA_ROOT and no media address reaches it, while its holder can
download it and nobody else can; the image addresses pages emit are answered.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from certificates.models import Certificate
from recognise.settings.signing_key import new_signing_key
from tests.factories import UserFactory, make_course, make_lesson
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp

pytestmark = pytest.mark.django_db
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def disk_storage(settings, tmp_path):
    """Media and certificate storage on disk, as the production settings configure them."""
    media, private = tmp_path / "media", tmp_path / "private"
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
        "certificates": {
            "BACKEND": "certificates.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": private},
        },
    }
    return media, private


def files_under(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def final_status(client, url):
    response = client.get(url, follow=True)
    return response.status_code


def test_certificate_pdfs_are_private_and_only_the_holder_downloads_them(
    client, disk_storage, course, holder, complete_course
):
    media, private = disk_storage
    complete_course(holder, course)
    certificate = holder.certificates.get()
    assert certificate.pdf.name == f"certificates/{certificate.pk}.pdf"
    assert files_under(private) == [certificate.pdf.name]
    assert not any(name.endswith(".pdf") for name in files_under(media))

    for url in (
        f"/media/certificates/{certificate.pk}.pdf",
        f"/media/{certificate.pdf.name}",
        f"/media/images/../certificates/{certificate.pk}.pdf",
        f"/media/images/..%2Fcertificates/{certificate.pk}.pdf",
        f"/media/original_images/../../private/certificates/{certificate.pk}.pdf",
    ):
        assert final_status(client, url) == 404, url
        sign_in(client, holder.email)
        assert final_status(client, url) == 404, url
        client.logout()

    download = reverse("certificates:pdf", args=[certificate.pk])
    other = Client()
    sign_in(other, UserFactory(role="Learner").email)
    assert other.get(download).status_code == 404
    sign_in(client, holder.email)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (private / certificate.pdf.name).read_bytes()


def test_pdfs_stored_in_media_before_are_moved_and_still_download(
    client, disk_storage, course, holder, complete_course
):
    media, private = disk_storage
    complete_course(holder, course)
    certificate = holder.certificates.get()
    # As stored before: the same name, in media storage.
    content = (private / certificate.pdf.name).read_bytes()
    (private / certificate.pdf.name).unlink()
    (media / "certificates").mkdir(parents=True)
    (media / certificate.pdf.name).write_bytes(content)

    output = io.StringIO()
    call_command("move_certificate_pdfs", stdout=output)
    assert "Moved 1" in output.getvalue()
    assert files_under(private) == [certificate.pdf.name]
    assert not files_under(media)
    sign_in(client, holder.email)
    response = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert b"".join(response.streaming_content) == content


def test_a_pdf_whose_file_is_missing_is_built_again_on_download(
    client, disk_storage, course, holder, complete_course
):
    media, private = disk_storage
    complete_course(holder, course)
    certificate = holder.certificates.get()
    (private / certificate.pdf.name).unlink()
    sign_in(client, holder.email)
    response = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert files_under(private) == [Certificate.objects.get().pdf.name]


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (120, 80), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_images_that_pages_show_are_served_from_local_media(client, disk_storage):
    media, _private = disk_storage
    image = get_image_model().objects.create(
        title="Street", file=ContentFile(png_bytes(), name="street.png")
    )
    course = make_course(lessons=0)
    lesson = make_lesson(
        course,
        "With a picture",
        body=[{"type": "image", "value": {"image": image.pk, "alt_text": "A street"}}],
    )
    page = BeautifulSoup(client.get(lesson.url).content.decode(), "html.parser")
    source = page.find("img", alt="A street")["src"]
    assert source.startswith("/media/images/")
    response = client.get(source)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    served = b"".join(response.streaming_content)
    assert served == (media / source.removeprefix("/media/")).read_bytes()
    assert PILImage.open(io.BytesIO(served)).format == "PNG"

    # Originals are for people who may use the admin; nothing but images is sent.
    original = f"/media/{image.file.name}"
    assert final_status(client, original) == 404
    (media / "images" / "notes.html").write_text("<script>alert(1)</script>")
    assert final_status(client, "/media/images/notes.html") == 404
    editor = UserFactory(is_superuser=True, is_staff=True)
    secret = enrol_totp(editor)
    # A session that skipped the second factor is refused, as the admin would refuse it.
    client.force_login(editor)
    assert final_status(client, original) == 404
    client.logout()
    sign_in_with_totp(client, editor, secret)
    assert client.get(original).status_code == 200


def storage_settings(env):
    """STORAGES and image and certificate URLs as production computes them from env."""
    script = (
        "import json, django; django.setup();"
        "from django.conf import settings;"
        "from django.core.files.storage import storages;"
        "print(json.dumps({'storages': settings.STORAGES,"
        " 'image': storages['default'].url('images/street.width-960.png'),"
        " 'certificate': storages['certificates'].url('certificates/a.pdf')"
        " if 'BUCKET' in str(settings.STORAGES['certificates']) or"
        " settings.STORAGES['certificates']['BACKEND'].endswith('S3Storage') else None,"
        " 'root': str(settings.CERTIFICATE_STORAGE_ROOT), 'media': str(settings.MEDIA_ROOT)},"
        " default=str))"
    )

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DATABASE_URL"))}
    clean.update(
        DJANGO_SETTINGS_MODULE="recognise.settings.production",
        SECRET_KEY="k" * 60,
        OPENBADGES_PRIVATE_KEY=new_signing_key(),
        ALLOWED_HOSTS="recognise.example.org",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY="example-secret",  # noqa: S106
        AWS_S3_REGION_NAME="eu-west-2",
        **env,
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_keeps_certificates_outside_media_and_uses_bucket_urls_on_s3(tmp_path):
    local = storage_settings({"VAR_DIR": str(tmp_path)})
    assert local["storages"]["certificates"]["BACKEND"].endswith("PrivateFileSystemStorage")
    assert local["root"] == str(tmp_path / "private")
    assert not local["root"].startswith(local["media"])
    assert local["image"] == "/media/images/street.width-960.png"

    s3 = storage_settings(
        {"AWS_STORAGE_BUCKET_NAME": "media-bucket", "AWS_CERTIFICATES_BUCKET_NAME": "cert-bucket"}
    )
    assert s3["image"].startswith("https://media-bucket.s3")
    assert "/images/street.width-960.png" in s3["image"]
    options = s3["storages"]["certificates"]["OPTIONS"]
    assert options["bucket_name"] == "cert-bucket"
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert s3["certificate"].startswith("https://cert-bucket.s3")
    assert "Signature" in s3["certificate"]
