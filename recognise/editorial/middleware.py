from django.contrib import messages
from django.core.exceptions import BadRequest
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import redirect
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.translation import gettext as _

# What Wagtail's views raise on values they read unchecked (json.JSONDecodeError and
# Django's "Field 'id' expected a number" are ValueErrors).
MALFORMED_INPUT = (ValueError, MultiValueDictKeyError)


class AtomicAdminWritesMiddleware:
    """Every change made through the Wagtail admin happens in one transaction, and a
    request Wagtail cannot read is refused with 400.

    Wagtail saves a published page, its revision, its log entry and its workflow state in
    separate steps and then signals receivers (search index, notifications); a failure in
    any of them would otherwise leave a page half-published. The view runs inside the
    transaction, so an exception rolls it all back and the editor can simply try again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith("/admin/"):
            return None
        try:
            if request.method != "POST":
                return view_func(request, *view_args, **view_kwargs)
            with transaction.atomic():
                return view_func(request, *view_args, **view_kwargs)
        except MALFORMED_INPUT as error:
            # Wagtail's views read some values without checking them: an empty id
            # (`?id=`, a chooser's `new_parent_page`), a block field that is not JSON, a
            # form without its StreamField's counts. Only a hand-made request sends
            # those; it gets a 400, not a server error.
            raise BadRequest("Malformed admin request") from error
        except (ProtectedError, RestrictedError):
            # Wagtail's delete views (organisations, users, snippets) let the database's
            # protection (on_delete=PROTECT) raise; the person is told why, not shown a
            # server error, and sent back to the page they were on.
            messages.error(request, _("This cannot be deleted while other records refer to it."))
            return redirect(request.get_full_path())
