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
    """Re-encode the image with no metadata at all; refuse what is not an image.

    Only pixels are copied: EXIF, XMP, ICC profiles, JPEG and GIF comments, PNG text
    chunks and GIF application extensions are all left behind. An animated GIF keeps its
    frames, their timing and (as the one extension animation needs) its looping.
    """
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
            if image_format == "GIF" and getattr(image, "is_animated", False):
                save_animation(image, clean)
            else:
                options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
                pixels_only(image).save(clean, SAVE_FORMATS[image_format], **options)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        Image.DecompressionBombError,
    ) as error:
        raise forms.ValidationError(UNREADABLE, code="invalid_image") from error
    return SimpleUploadedFile(upload.name, clean.getvalue(), content_type=upload.content_type)


# What a frame needs to be drawn as it was; everything else in Pillow's info is metadata.
KEPT_INFO = ("transparency", "background")


def pixels_only(frame):
    """A copy of the frame with its pixels, palette and transparency, and nothing else."""
    copy = frame.copy()
    copy.info = {key: frame.info[key] for key in KEPT_INFO if key in frame.info}
    return copy


def save_animation(image, output):
    frames, durations, disposals = [], [], []
    for index in range(image.n_frames):
        image.seek(index)
        frames.append(pixels_only(image))
        durations.append(image.info.get("duration", 100))
        disposals.append(getattr(image, "disposal_method", 0))
    options = {"save_all": True, "append_images": frames[1:], "duration": durations}
    options["disposal"] = disposals
    if "loop" in image.info:
        options["loop"] = image.info["loop"]
    frames[0].save(output, "GIF", **options)


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
