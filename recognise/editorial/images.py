"""Checks on every image upload, on top of Wagtail's own format, size and pixel limits."""

import io
import struct

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from wagtail.images.forms import BaseImageForm

SAVE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WEBP"}

UNREADABLE = _(
    "This file is not a complete image that we can read. Try saving it again as JPEG or PNG."
)

UPLOAD_REMINDER = _(
    "Never upload a photograph that could identify a child, even with their face hidden. "
    "Use illustrations or stock images of adults. Location and camera details are "
    "removed from every upload."
)


def strip_metadata(upload):
    """Re-encode the image without EXIF, XMP or other metadata; refuse what is not an image."""
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            if image_format not in SAVE_FORMATS:
                raise forms.ValidationError(_("Upload a JPEG, PNG, GIF or WebP image."))
            image.load()
            clean = io.BytesIO()
            options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
            if image_format == "GIF" and getattr(image, "is_animated", False):
                options = {"save_all": True}
            copy = image if image_format == "GIF" else image.copy()
            if image_format != "GIF":
                copy.info.clear()
            copy.save(clean, SAVE_FORMATS[image_format], **options)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as error:
        raise forms.ValidationError(UNREADABLE, code="invalid_image") from error
    return SimpleUploadedFile(upload.name, clean.getvalue(), content_type=upload.content_type)


def refuse_unreadable(to_python):
    """Wagtail's size checks open the image; a truncated or corrupt file makes Pillow
    raise there, which must become a form error rather than a server error."""

    def checked(data):
        try:
            return to_python(data)
        except forms.ValidationError:
            raise
        except (
            OSError,
            SyntaxError,
            ValueError,
            struct.error,
            Image.DecompressionBombError,
        ) as error:
            raise forms.ValidationError(UNREADABLE, code="invalid_image") from error

    return checked


class CheckedImageForm(BaseImageForm):
    """The admin's image form: reminds editors about children's privacy and cleans uploads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None:
            field.help_text = UPLOAD_REMINDER
            field.to_python = refuse_unreadable(field.to_python)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "seek") and not getattr(upload, "_committed", False):
            return strip_metadata(upload)
        return upload
