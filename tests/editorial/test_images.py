import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db
Image = get_image_model()


def jpeg_with_location():
    image = PILImage.new("RGB", (64, 48), "teal")
    exif = PILImage.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0110] = "Phone model"  # Model
    exif[0x0131] = "Editing software"  # Software
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_bytes(width=10, height=10):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def decompression_bomb():
    """A tiny PNG that claims to be 50,000 x 50,000 pixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 50_000, 50_000, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def editor_client(ngo_a, signed_in):
    return signed_in(ngo_a.editor, ngo_a.secret)


def upload(client, name, content, content_type="image/jpeg", ngo=None):
    from wagtail.models import Collection

    data = {
        "title": name,
        "file": SimpleUploadedFile(name, content, content_type=content_type),
        "tags": "",
    }
    if ngo is not None:
        data["collection"] = Collection.objects.get(name=ngo.organisation.name).pk
    return client.post(reverse("wagtailimages:add"), data)


def test_upload_form_reminds_editors_about_photographs_of_children(editor_client):
    page = editor_client.get(reverse("wagtailimages:add")).content.decode()
    assert "Never upload a photograph that could identify a child" in page


def test_metadata_is_stripped_on_upload(editor_client, ngo_a):
    original = jpeg_with_location()
    assert PILImage.open(io.BytesIO(original)).getexif()
    response = upload(editor_client, "street.jpg", original, ngo=ngo_a)
    assert response.status_code == 302, response.content.decode()[:500]
    stored = Image.objects.get()
    with stored.file.open("rb") as handle:
        saved = PILImage.open(io.BytesIO(handle.read()))
        assert not saved.getexif()
        assert saved.size == (64, 48)
    assert stored.collection.name == ngo_a.organisation.name


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
            "image/svg+xml",
            "Not a supported image format",
        ),
        ("notes.jpg", b"this is not an image at all", "image/jpeg", "Upload a valid image"),
        ("cut.png", png_bytes(200, 200)[:120], "image/png", "not a complete image"),
        ("bomb.png", decompression_bomb(), "image/png", "too many pixels"),
        ("huge.png", png_bytes() + b"\x00" * (10 * 1024 * 1024 + 1), "image/png", "too big"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_stored(
    editor_client, ngo_a, name, content, content_type, message
):
    response = upload(editor_client, name, content, content_type, ngo=ngo_a)
    assert response.status_code == 200
    page = response.content.decode()
    assert message.lower() in page.lower()
    assert not Image.objects.exists()
