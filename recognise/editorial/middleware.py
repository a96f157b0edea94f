from django.db import transaction


class AtomicAdminWritesMiddleware:
    """Every change made through the Wagtail admin happens in one transaction.

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
        if request.method != "POST" or not request.path.startswith("/admin/"):
            return None
        with transaction.atomic():
            return view_func(request, *view_args, **view_kwargs)
