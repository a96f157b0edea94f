"""Posting one statement to a Learning Record Store, and what its answer means."""

import base64
import json
import urllib.error
import urllib.request

from django.utils.translation import gettext as _

VERSION = "1.0.3"
TIMEOUT_SECONDS = 10


class DeliveryError(Exception):
    """The LRS did not take the statement; the message says why, briefly."""


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is reported, not followed: the credentials stay with the address the
    organisation gave, and a statement is never turned into a GET."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def post_statement(store, statement):
    """Send the statement; return quietly once the LRS has it, else raise DeliveryError.

    The statement's id is fixed, so sending it again is harmless: an LRS that already
    has it answers 204 (the same statement) or 409 (already stored), both counted as sent.
    """
    url = store.statements_url
    if not url.startswith(("https://", "http://")):
        raise DeliveryError(_("The LRS address is not a web address."))
    credentials = base64.b64encode(f"{store.key}:{store.secret}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url,
        data=json.dumps(statement).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Experience-API-Version": VERSION,
            "Authorization": f"Basic {credentials}",
        },
    )
    try:
        with OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except urllib.error.HTTPError as error:
        if error.code == 409:
            return
        raise DeliveryError(
            _("The LRS answered %(status)s %(reason)s.")
            % {"status": error.code, "reason": error.reason}
        ) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryError(
            _("The LRS could not be reached: %(reason)s") % {"reason": reason}
        ) from error
