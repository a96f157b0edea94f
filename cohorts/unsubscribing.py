"""Links in reminder emails that turn reminders off without signing in.

The link carries a signed token naming the person, so following it (or a mail
program's one-click request, RFC 8058) is proof enough: no session, no CSRF token.
"""

from django.core import signing
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from core.site_urls import absolute_url

SALT = "cohorts.unsubscribe"


def unsubscribe_token(user):
    return signing.dumps(user.pk, salt=SALT, compress=True)


def user_for_token(token):
    """The person the token was made for, or None when it is not one of ours."""
    try:
        user_id = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def unsubscribe_url(user):
    with translation.override(user.preferred_language):
        return absolute_url(reverse("cohorts:unsubscribe", args=[unsubscribe_token(user)]))


def unsubscribe_headers(url):
    """Headers that let mail programs offer their own "Unsubscribe" button."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
