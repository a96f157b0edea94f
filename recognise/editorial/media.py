"""Editors' images, served by the application when media is on local disk.

In production nothing else serves MEDIA_URL, and a web-server rule for the whole media
folder would publish whatever else lands there. This view answers only for the two
folders Wagtail keeps images in: renditions (images/), which every page shows and
anyone may fetch, and originals (original_images/), which pages never link to and
which only people who may choose that image in the admin, in a session that passed
its second factor, can fetch (an original may
be another organisation's, or still waiting for review). Only image types are sent,
read through the default storage. With S3 storage, pages link to the bucket's own
addresses and this view is not used.
"""

import mimetypes
import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from accounts.mfa import session_passed_second_factor

IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"}
PUBLIC_FOLDER = "images"
STAFF_FOLDER = "original_images"


def media_path(folder, name):
    """The storage name for a requested file, or None when it lies outside the folder."""
    path = posixpath.normpath(f"{folder}/{name}")
    if not path.startswith(f"{folder}/") or "\\" in path or "\x00" in path:
        return None
    return path


def may_choose_image(request, path):
    """Whether this session may pick the original in the admin: the image collection's
    rules, and the second factor every admin session must have passed."""
    user = request.user
    if not user.is_authenticated or path is None or not session_passed_second_factor(request):
        return False
    image_model = get_image_model()
    image = image_model.objects.filter(file=path).first()
    policy = policy_registry.get_by_type(image_model)
    return image is not None and policy.user_has_permission_for_instance(user, "choose", image)


@require_GET
def serve_image(request, folder, name):
    path = media_path(folder, name)
    if folder == STAFF_FOLDER and not may_choose_image(request, path):
        raise Http404
    content_type, _encoding = mimetypes.guess_type(path or "")
    if path is None or content_type not in IMAGE_TYPES or not default_storage.exists(path):
        raise Http404
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    # Renditions never change under one name; originals are for the admin only.
    public = folder == PUBLIC_FOLDER
    response["Cache-Control"] = "public, max-age=604800" if public else "private, max-age=3600"
    return response
