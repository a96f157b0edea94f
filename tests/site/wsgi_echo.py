"""A WSGI application with nothing of Django in it, for watching gunicorn's own log lines."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("X-Request-ID", "req-echo-1")])
    return [b"ok"]
