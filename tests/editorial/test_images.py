import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from PIL import PngImagePlugin
from wagtail.images import get_image_model
from wagtail.models import Collection

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


# Metadata in every accepted format --------------------------------------------------

MARKER = "Taken by Jane Doe at 51.5072N 0.1276W"
XMP = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>{MARKER}</rdf:Description></x:xmpmeta>'


def exif_with_marker():
    exif = PILImage.Exif()
    exif[0x010E] = MARKER  # ImageDescription
    exif[0x013B] = "Jane Doe"  # Artist
    return exif


def jpeg_with_metadata():
    buffer = io.BytesIO()
    PILImage.new("RGB", (32, 24), "teal").save(
        buffer, "JPEG", exif=exif_with_marker(), comment=MARKER, xmp=XMP.encode()
    )
    return buffer.getvalue()


def png_with_metadata():
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", MARKER)  # tEXt
    text.add_itxt("Description", MARKER)  # iTXt
    text.add_text("Comment", MARKER, zip=True)  # zTXt
    buffer = io.BytesIO()
    PILImage.new("RGB", (32, 24), "teal").save(buffer, "PNG", pnginfo=text, exif=exif_with_marker())
    return buffer.getvalue()


def webp_with_metadata():
    buffer = io.BytesIO()
    PILImage.new("RGB", (32, 24), "teal").save(
        buffer, "WEBP", exif=exif_with_marker(), xmp=XMP.encode()
    )
    return buffer.getvalue()


def gif_application_extension(identifier, payload):
    """An application extension block, as XMP and other tools write them into GIFs."""
    blocks = b"".join(
        bytes([len(payload[i : i + 255])]) + payload[i : i + 255]
        for i in range(0, len(payload), 255)
    )
    return b"\x21\xff\x0b" + identifier + blocks + b"\x00"


def gif_with_metadata(animated=False):
    frames = [PILImage.new("RGB", (32, 24), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    options = {"comment": MARKER}
    if animated:
        options.update(save_all=True, append_images=frames[1:], duration=[100, 200], loop=0)
    frames[0].save(buffer, "GIF", **options)
    data = buffer.getvalue()
    # Just before the first image descriptor: an XMP packet and an unknown extension.
    first_image = data.index(b"\x2c", data.index(MARKER.encode()))
    extra = gif_application_extension(b"XMP DataXMP", XMP.encode()) + gif_application_extension(
        b"TRACKERS1.0", MARKER.encode()
    )
    return data[:first_image] + extra + data[first_image:]


def gif_extensions(data):
    """(label, identifier) of each extension block in a GIF file."""
    found = []
    position = 13
    flags = data[10]
    if flags & 0x80:
        position += 3 * (2 ** ((flags & 0x07) + 1))
    while position < len(data):
        introducer = data[position]
        if introducer == 0x3B:  # trailer
            break
        if introducer == 0x21:
            label = data[position + 1]
            position += 2
            identifier = b""
            if label == 0xFF:
                identifier = data[position + 1 : position + 12]
            found.append((label, identifier))
            while data[position]:
                position += data[position] + 1
            position += 1
        elif introducer == 0x2C:
            local = data[position + 9]
            position += 10
            if local & 0x80:
                position += 3 * (2 ** ((local & 0x07) + 1))
            position += 1  # LZW minimum code size
            while data[position]:
                position += data[position] + 1
            position += 1
        else:
            raise AssertionError(f"unexpected GIF block {introducer:#x} at {position}")
    return found


def png_chunks(data):
    chunks, position = [], 8
    while position < len(data):
        length = struct.unpack(">I", data[position : position + 4])[0]
        chunks.append(data[position + 4 : position + 8].decode("latin-1"))
        position += 12 + length
    return chunks


def webp_chunks(data):
    chunks, position = [], 12
    while position < len(data):
        kind = data[position : position + 4].decode("latin-1")
        length = struct.unpack("<I", data[position + 4 : position + 8])[0]
        chunks.append(kind)
        position += 8 + length + (length & 1)
    return chunks


def jpeg_segments(data):
    """Markers of a JPEG's segments before the image data, with APPn identifiers."""
    segments, position = [], 2
    while position < len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the image data follows
            break
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        segments.append((marker, data[position + 4 : position + 4 + 12]))
        position += 2 + length
    return segments


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("street.jpg", jpeg_with_metadata(), "image/jpeg"),
        ("street.png", png_with_metadata(), "image/png"),
        ("street.webp", webp_with_metadata(), "image/webp"),
        ("street.gif", gif_with_metadata(), "image/gif"),
        ("moving.gif", gif_with_metadata(animated=True), "image/gif"),
    ],
)
def test_uploads_lose_all_metadata_in_every_format(
    editor_client, ngo_a, name, content, content_type
):
    assert MARKER.encode() in content or b"zTXt" in content
    response = upload(editor_client, name, content, content_type, ngo=ngo_a)
    assert response.status_code == 302, response.content.decode()[:500]
    with Image.objects.get().file.open("rb") as handle:
        stored = handle.read()
    assert MARKER.encode() not in stored and b"Jane Doe" not in stored
    saved = PILImage.open(io.BytesIO(stored))
    assert saved.format == PILImage.open(io.BytesIO(content)).format
    assert not saved.getexif()
    assert not {"comment", "xmp", "exif", "icc_profile", "XML:com.adobe.xmp"} & set(saved.info)
    if saved.format == "PNG":
        assert not {"tEXt", "iTXt", "zTXt", "eXIf"} & set(png_chunks(stored))
    if saved.format == "WEBP":
        assert not {"EXIF", "XMP "} & set(webp_chunks(stored))
    if saved.format == "JPEG":
        markers = jpeg_segments(stored)
        assert all(marker != 0xFE for marker, _ in markers), "comment kept"
        assert all(marker != 0xE1 for marker, _ in markers), "EXIF or XMP kept"
    if saved.format == "GIF":
        extensions = gif_extensions(stored)
        assert all(label != 0xFE for label, _ in extensions), "comment kept"
        # Only the looping extension that animation needs may stay.
        assert {ident for label, ident in extensions if label == 0xFF} <= {b"NETSCAPE2.0"}
        if name == "moving.gif":
            assert getattr(saved, "n_frames", 1) == 2
            assert saved.info.get("loop") == 0
