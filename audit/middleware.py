from .records import request_context


class AuditRequestMiddleware:
    """Lets audit receivers (signals from Django, allauth and models) know who is acting
    and from which address, without every caller passing the request along."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_context(request):
            return self.get_response(request)
