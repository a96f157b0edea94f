from django.conf import settings


def absolute_url(path):
    """A full URL for links that leave the site: emails, PDFs, QR codes, credentials."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
